import { useCallback, useState } from 'react';
import { answer, client } from '../../api.js';
import { ProblemView } from '../../components/problem-view.js';
import { useAction } from '../../components/use-action.js';
import { formatYen, useLanguage } from '../../i18n/index.js';
import { useSession } from '../../session.js';
import { useWallet } from '../wallet-session.js';
import { type Topup, keyed, useOnWalletChange, walletChanged } from './money-api.js';
import { PaymentCodeCard } from './payment-code-card.js';
import { AmountField, TopupForm, useTopup } from './top-up-parts.js';

/** ATM: the API issues a deposit code; the tracker shows it beside the ATM simulator. */
export function AtmChannel({ onStarted }: { onStarted: (topup: Topup) => void }) {
  const { t } = useLanguage();
  const wallet = useWallet();
  const [amount, setAmount] = useState(10_000);
  const topup = useTopup(onStarted);
  return (
    <section className="channel" aria-labelledby={`atm-${wallet.slot}`}>
      <h3 id={`atm-${wallet.slot}`}>{t('money.channel.atm')}</h3>
      <p className="hint">{t('money.atm.intro')}</p>
      <TopupForm
        onSubmit={() => void topup.run({ amount, channel: 'atm' })}
        busy={topup.busy}
        problem={topup.problem}
        label={t('money.atm.getCode')}
      >
        <AmountField value={amount} onChange={setAmount} limits={{ max: 100_000, unit: 1_000 }} />
      </TopupForm>
    </section>
  );
}

/** Loyalty points, spent 1:1; the sandbox tool that gives points is set apart as the simulator. */
export function PointsChannel({ walletId, onStarted }: { walletId: string | undefined; onStarted: (topup: Topup) => void }) {
  const { t } = useLanguage();
  const wallet = useWallet();
  const { secretKey } = useSession();
  const [points, setPoints] = useState<number | null>(null);
  const [amount, setAmount] = useState(1_000);
  const [seed, setSeed] = useState(5_000);
  const readPoints = useCallback(async () => {
    setPoints((await answer(wallet.api().GET('/v1/wallet/points'))).points);
  }, [wallet]);
  useOnWalletChange(wallet.slot, readPoints);
  const topup = useTopup(onStarted);
  const give = useAction(async () => {
    if (!walletId) return;
    await answer(
      client({ token: secretKey }).POST('/v1/sandbox/wallets/{walletId}/points', {
        params: { path: { walletId } },
        body: { points: seed },
        ...keyed(),
      }),
    );
    walletChanged(wallet.slot);
  });
  return (
    <section className="channel" aria-labelledby={`points-${wallet.slot}`}>
      <h3 id={`points-${wallet.slot}`}>{t('money.channel.points')}</h3>
      <p>
        {t('money.points.have')}: <strong data-testid="points">{points === null ? '…' : `${points.toLocaleString('en')} pt`}</strong>
      </p>
      <TopupForm
        onSubmit={() => void topup.run({ amount, channel: 'points' })}
        busy={topup.busy}
        problem={topup.problem}
        label={t('money.points.submit')}
      >
        <AmountField value={amount} onChange={setAmount} limits={{ max: 100_000, unit: 1 }} label={t('money.points.amount')} />
      </TopupForm>
      <form
        className="simulator stack"
        onSubmit={(event) => {
          event.preventDefault();
          void give.run();
        }}
      >
        <p className="simulator-label">{t('money.simulator')}</p>
        <p className="hint">{t('money.points.seedExplain')}</p>
        <label>
          {t('money.points.seed')}
          <input type="number" min={1} step={1} required value={seed} onChange={(event) => setSeed(Number(event.target.value))} />
        </label>
        <div className="actions">
          <button type="submit" className="secondary" disabled={give.busy || !walletId}>
            {t('money.points.seedSubmit')}
          </button>
        </div>
        <ProblemView problem={give.problem} />
      </form>
    </section>
  );
}

/** Cash at the register: the store starts it by scanning the customer's payment code; the app only shows the code. */
export function RegisterCashChannel() {
  const { t } = useLanguage();
  const wallet = useWallet();
  return (
    <section className="channel" aria-labelledby={`cash-${wallet.slot}`}>
      <h3 id={`cash-${wallet.slot}`}>{t('money.channel.register_cash')}</h3>
      <ol className="steps">
        <li>{t('money.cash.step1')}</li>
        <li>{t('money.cash.step2', { max: formatYen(49_000) })}</li>
        <li>{t('money.cash.step3')}</li>
      </ol>
      <PaymentCodeCard purpose="topup" />
    </section>
  );
}
