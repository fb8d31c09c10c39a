import { useEffect, useState } from 'react';
import { answer, client } from '../../api.js';
import { ProblemView } from '../../components/problem-view.js';
import { useAction } from '../../components/use-action.js';
import { formatTime, formatYen, sandboxTimeZone, useLanguage } from '../../i18n/index.js';
import { useSession } from '../../session.js';
import { useWallet } from '../wallet-session.js';
import { type Topup, keyed, walletChanged } from './money-api.js';

const POLL_MS = 800;

/**
 * One top-up from request to its end: follows GET /v1/topups/:id until it
 * succeeds or fails, asks for the 3-D Secure code when the issuer wants one,
 * and shows an ATM deposit code with the ATM simulator beside it.
 */
export function TopupTracker({ started }: { started: Topup }) {
  const { t } = useLanguage();
  const wallet = useWallet();
  const [topup, setTopup] = useState(started);
  const final = topup.status === 'succeeded' || topup.status === 'failed';

  useEffect(() => {
    if (final) {
      walletChanged(wallet.slot);
      return;
    }
    let stopped = false;
    const timer = setTimeout(() => {
      answer(wallet.api().GET('/v1/topups/{id}', { params: { path: { id: topup.id } } })).then(
        (next) => {
          if (!stopped) setTopup(next as unknown as Topup);
        },
        () => {
          if (!stopped) setTopup((current) => ({ ...current }));
        },
      );
    }, POLL_MS);
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [topup, final, wallet]);

  return (
    <div className="topup-tracker" data-testid="topup" data-status={topup.status}>
      <p>
        {t('money.topup.tracking', { amount: formatYen(topup.amount) })}{' '}
        <strong className={`status ${topup.status}`}>{t(`money.topup.status.${topup.status}`)}</strong>
      </p>
      {topup.nextAction?.type === 'three_d_secure' && topup.status === 'pending' && <ThreeDSecure topupId={topup.id} onAnswer={setTopup} />}
      {topup.nextAction?.type === 'atm_deposit' && topup.status === 'pending' && <AtmDeposit topup={topup} onDeposit={setTopup} />}
      {topup.status === 'held' && <p className="notice warning">{t('money.topup.held')}</p>}
      {topup.status === 'succeeded' && (
        <p className="outcome ok" role="status" data-testid="topup-outcome">
          {t('money.topup.succeeded', { amount: formatYen(topup.amount) })}
        </p>
      )}
      {topup.status === 'failed' && (
        <div className="problem" role="alert" data-testid="topup-outcome" data-code={topup.failureCode ?? 'failed'}>
          <strong>{t('money.topup.failed')}</strong>
          <div>
            {t('problem.code')}: <code>{topup.failureCode}</code>
          </div>
        </div>
      )}
    </div>
  );
}

function ThreeDSecure({ topupId, onAnswer }: { topupId: string; onAnswer: (topup: Topup) => void }) {
  const { t } = useLanguage();
  const wallet = useWallet();
  const [code, setCode] = useState('');
  const submit = useAction(async () => {
    const answered = await answer(
      wallet.api().POST('/v1/topups/{id}/three-d-secure', { params: { path: { id: topupId } }, body: { code }, ...keyed() }),
    );
    onAnswer(answered as unknown as Topup);
  });
  return (
    <form
      className="three-d-secure"
      aria-labelledby={`tds-${wallet.slot}`}
      onSubmit={(event) => {
        event.preventDefault();
        void submit.run();
      }}
    >
      <h4 id={`tds-${wallet.slot}`}>{t('money.tds.heading')}</h4>
      <p className="hint">{t('money.tds.explain')}</p>
      <label>
        {t('money.tds.code')}
        <input
          inputMode="numeric"
          autoComplete="one-time-code"
          pattern="[0-9]{6}"
          required
          value={code}
          onChange={(event) => setCode(event.target.value.trim())}
        />
      </label>
      <div className="actions">
        <button type="submit" disabled={submit.busy}>
          {t('money.tds.submit')}
        </button>
      </div>
      <ProblemView problem={submit.problem} />
    </form>
  );
}

function AtmDeposit({ topup, onDeposit }: { topup: Topup; onDeposit: (topup: Topup) => void }) {
  const { t, language } = useLanguage();
  const { secretKey, sandbox } = useSession();
  const depositCode = topup.nextAction?.depositCode ?? '';
  const deposit = useAction(async () => {
    const done = await answer(client({ token: secretKey }).POST('/v1/sandbox/atm/deposits', { body: { depositCode }, ...keyed() }));
    onDeposit(done as unknown as Topup);
  });
  return (
    <div className="atm-deposit">
      <p>{t('money.atm.explain', { amount: formatYen(topup.amount) })}</p>
      <p className="deposit-code">
        {t('money.atm.code')}: <code data-testid="deposit-code">{depositCode.replace(/(\d{4})(?=\d)/g, '$1 ')}</code>
      </p>
      {topup.nextAction?.expiresAt && (
        <p className="hint">
          {t('money.atm.expires', { time: formatTime(topup.nextAction.expiresAt, language, sandboxTimeZone(sandbox.clock.now)) })}
        </p>
      )}
      <div className="simulator">
        <p className="simulator-label">{t('money.simulator')}</p>
        <button type="button" onClick={() => void deposit.run()} disabled={deposit.busy}>
          {t('money.atm.deposit', { amount: formatYen(topup.amount) })}
        </button>
        <ProblemView problem={deposit.problem} />
      </div>
    </div>
  );
}
