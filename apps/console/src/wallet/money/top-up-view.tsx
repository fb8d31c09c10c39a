import { useEffect, useState } from 'react';
import { formatYen, useLanguage } from '../../i18n/index.js';
import { useWallet } from '../wallet-session.js';
import { type ServiceState, type Topup, readService, useWalletBalance } from './money-api.js';
import { type Channel, phaseLabel } from './top-up-parts.js';
import { BankChannel, CardChannel } from './top-up-funding.js';
import { AtmChannel, PointsChannel, RegisterCashChannel } from './top-up-cash.js';
import { TopupTracker } from './topup-tracker.js';
import { CHANNELS } from './wallet-home.js';

const ORDER: Channel[] = ['card', 'bank_debit', 'atm', 'points', 'register_cash'];

/** Top up on every channel the API has. */
export function TopUpView() {
  const { t } = useLanguage();
  const wallet = useWallet();
  const { view } = useWalletBalance(wallet);
  const [channel, setChannel] = useState<Channel>('card');
  const [service, setService] = useState<ServiceState | null>(null);
  const [started, setStarted] = useState<Topup | null>(null);

  useEffect(() => {
    readService(wallet).then(setService, () => undefined);
  }, [wallet]);

  const choose = (next: Channel) => {
    setChannel(next);
    setStarted(null);
  };
  const open = service ? service.capabilities.topup[channel] !== false : true;

  return (
    <div className="money-screen">
      <p className="balance-line">
        {t('money.home.balance')}: <strong data-testid="balance">{view ? formatYen(view.balance) : '…'}</strong>
      </p>
      <fieldset className="channel-picker">
        <legend>{t('money.topup.how')}</legend>
        {ORDER.map((id) => (
          <label key={id} className="choice">
            <input type="radio" name={`channel-${wallet.slot}`} value={id} checked={channel === id} onChange={() => choose(id)} />
            <span>
              {t(CHANNELS[id])}
              {service && service.capabilities.topup[id] === false && <span className="closed"> ({t('money.topup.suspended')})</span>}
            </span>
          </label>
        ))}
      </fieldset>
      {!open && service && (
        <p className="notice warning" role="status">
          {t('money.topup.closedExplain', { phase: phaseLabel(t, service.phase) })}
        </p>
      )}
      {channel === 'card' && <CardChannel onStarted={setStarted} />}
      {channel === 'bank_debit' && <BankChannel onStarted={setStarted} />}
      {channel === 'atm' && <AtmChannel onStarted={setStarted} />}
      {channel === 'points' && <PointsChannel walletId={view?.id} onStarted={setStarted} />}
      {channel === 'register_cash' && <RegisterCashChannel />}
      {started && <TopupTracker key={started.id} started={started} />}
    </div>
  );
}
