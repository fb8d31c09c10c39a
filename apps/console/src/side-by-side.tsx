import { InboxPanel } from './inbox/inbox-panel.js';
import { useLanguage } from './i18n/index.js';
import { RegisterPanel } from './register/register-panel.js';
import { WalletPanel } from './wallet/wallet-panel.js';

/**
 * Two phones, the register and the inbox on one page, for a projector: a
 * takeover from a second phone, and the counter (the register scans a
 * phone's code, a phone pays the register's QR), in one view.
 */
export function SideBySide() {
  const { t } = useLanguage();
  return (
    <div className="side-by-side">
      <p className="side-by-side-intro">{t('sideBySide.intro')}</p>
      <div className="side-by-side-a">
        <WalletPanel slot="a" />
      </div>
      <div className="side-by-side-b">
        <WalletPanel slot="b" />
      </div>
      <div className="side-by-side-register">
        <RegisterPanel />
      </div>
      <div className="side-by-side-inbox">
        <InboxPanel compact />
      </div>
    </div>
  );
}
