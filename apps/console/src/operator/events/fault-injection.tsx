import { useCallback, useState } from 'react';
import { type Problem, answer, client, problemOf } from '../../api.js';
import { ProblemView } from '../../components/problem-view.js';
import { TableScroll } from '../../components/table-scroll.js';
import { useAction } from '../../components/use-action.js';
import { type MessageKey, useLanguage } from '../../i18n/index.js';
import { useSession } from '../../session.js';
import { SecretOnce, type ShownSecret } from './endpoints.js';

/** The cases of `Sandbox-Simulate` (docs/api-and-contract.md, "Simulating failures"), with the refusal each forces and where a client meets it. */
const CASES: Array<{ name: string; status: number; code: string; where: MessageKey }> = [
  { name: 'card_declined', status: 402, code: 'card_declined', where: 'events.fault.where.topup' },
  { name: 'insufficient_balance', status: 402, code: 'insufficient_balance', where: 'events.fault.where.payment' },
  { name: 'code_invalid', status: 422, code: 'code_invalid', where: 'events.fault.where.scan' },
  { name: 'code_expired', status: 422, code: 'code_expired', where: 'events.fault.where.scan' },
  { name: 'code_used', status: 409, code: 'code_used', where: 'events.fault.where.scan' },
  { name: 'wallet_on_hold', status: 403, code: 'wallet_on_hold', where: 'events.fault.where.money' },
  { name: 'limit_exceeded', status: 422, code: 'limit_exceeded', where: 'events.fault.where.payment' },
  { name: 'service_suspended', status: 403, code: 'service_suspended', where: 'events.fault.where.money' },
  { name: 'rate_limited', status: 429, code: 'rate_limited', where: 'events.fault.where.any' },
  { name: 'timeout', status: 504, code: 'gateway_timeout', where: 'events.fault.where.timeout' },
  { name: 'server_error', status: 503, code: 'service_unavailable', where: 'events.fault.where.any' },
];

interface Simulated {
  status: number;
  simulated: string | null;
  retryAfter: string | null;
  problem: Problem;
}

/** `Sandbox-Simulate` explained and tried, and a webhook endpoint that fails every delivery, to watch retries. */
export function FaultInjection({ reload }: { reload: () => Promise<unknown> }) {
  const { t } = useLanguage();
  const { secretKey } = useSession();
  const [name, setName] = useState('card_declined');
  const [result, setResult] = useState<Simulated | null>(null);
  const [busy, setBusy] = useState(false);
  const [shown, setShown] = useState<ShownSecret | null>(null);

  const trySimulation = async (): Promise<void> => {
    setBusy(true);
    setResult(null);
    try {
      const { error, response } = await client({ token: secretKey }).POST('/v1/webhook-endpoints', {
        body: { url: 'https://example.com/simulated', events: ['*'] },
        headers: { 'Sandbox-Simulate': name },
      });
      setResult({
        status: response.status,
        simulated: response.headers.get('Sandbox-Simulated'),
        retryAfter: response.headers.get('Retry-After'),
        problem: problemOf(error, response),
      });
      await reload();
    } finally {
      setBusy(false);
    }
  };

  const failing = useAction(
    useCallback(async () => {
      const created = await answer(
        client({ token: secretKey }).POST('/v1/webhook-endpoints', {
          body: {
            url: `${window.location.origin}/webhook-demo/always-fails`,
            events: ['*'],
            description: t('events.fault.failingDescription'),
          },
        }),
      );
      setShown({ endpointId: created.id, url: created.url, secret: created.secret, rotated: false });
      await reload();
    }, [secretKey, reload, t]),
  );

  return (
    <section className="panel fault-injection" aria-labelledby="fault-heading">
      <h3 id="fault-heading">{t('events.fault.heading')}</h3>
      <p>{t('events.fault.explain')}</p>
      <p className="muted">{t('events.fault.rules')}</p>
      <TableScroll label={t('events.fault.cases')}>
        <table className="fault-cases">
          <caption>{t('events.fault.cases')}</caption>
          <thead>
            <tr>
              <th scope="col">
                <code>Sandbox-Simulate</code>
              </th>
              <th scope="col">{t('events.fault.answer')}</th>
              <th scope="col">{t('events.fault.where')}</th>
            </tr>
          </thead>
          <tbody>
            {CASES.map((c) => (
              <tr key={c.name}>
                <td>
                  <code>{c.name}</code>
                </td>
                <td>
                  {c.status} <code>{c.code}</code>
                </td>
                <td>{t(c.where)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>

      <h4>{t('events.fault.tryHeading')}</h4>
      <p className="muted">{t('events.fault.tryExplain')}</p>
      <form
        className="fault-try"
        onSubmit={(e) => {
          e.preventDefault();
          void trySimulation();
        }}
      >
        <label>
          {t('events.fault.case')}
          <select value={name} onChange={(e) => setName(e.target.value)}>
            {CASES.map((c) => (
              <option key={c.name} value={c.name}>
                {c.name}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" disabled={busy}>
          {t('events.fault.send')}
        </button>
      </form>
      {busy && <p role="status">{t('events.fault.waiting')}</p>}
      {result && (
        <div className="fault-result" data-testid="fault-result">
          <p role="status">
            {t('events.fault.result', { status: result.status, simulated: result.simulated ?? '—' })}
            {result.retryAfter && <> · Retry-After: {result.retryAfter}</>}
          </p>
          <ProblemView problem={result.problem} />
          <p className="muted">{t('events.fault.nothingWritten')}</p>
        </div>
      )}

      <h4>{t('events.fault.webhookHeading')}</h4>
      <p className="muted">{t('events.fault.webhookExplain')}</p>
      <button type="button" className="secondary" disabled={failing.busy} onClick={() => void failing.run()}>
        {t('events.fault.addFailing')}
      </button>
      <ProblemView problem={failing.problem} />
      {shown && <SecretOnce shown={shown} onDismiss={() => setShown(null)} />}
    </section>
  );
}
