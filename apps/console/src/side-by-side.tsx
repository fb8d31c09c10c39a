import { InboxPanel } from './inbox/inbox-panel.js';
import { RegisterPanel } from './register/register-panel.js';
import { WalletPanel } from './wallet/wallet-panel.js';

/** Two phones and a register on one page: a takeover from a second device, and the counter, in one view. */
export function SideBySide() {
  return (
    <div className="side-by-side">
      <WalletPanel slot="a" />
      <WalletPanel slot="b" />
      <RegisterPanel />
      <InboxPanel compact />
    </div>
  );
}
