import { useCallback, useState } from 'react';
import type { Schemas } from '@wallet-sandbox/client';
import { answer, client } from '../../api.js';
import { ProblemView } from '../../components/problem-view.js';
import { TableScroll } from '../../components/table-scroll.js';
import { useAction } from '../../components/use-action.js';
import { type MessageKey, type Translate, formatTime, formatYen, sandboxTimeZone, useLanguage } from '../../i18n/index.js';
import { useSession } from '../../session.js';
import { useRead } from '../home/use-read.js';
import { type ReconciliationReport, discrepancyInWords, flowTotal } from './reconciliation.js';

type Account = Schemas['AccountDto'];
type Transfer = Schemas['AccountTransferDto'];
type Pending = Schemas['PendingTransferDto'];

const KINDS = ['wallet', 'store', 'system'] as const;

/** An account's transfers and the reconciliation report in words. */
export default function LedgerRoom() {
  const { t } = useLanguage();
  const [accountId, setAccountId] = useState<string | null>(null);
  return (
    <section className="panel operator-room ledger-room" aria-labelledby="room-heading">
      <h2 id="room-heading">{t('operator.room.ledger')}</h2>
      <AccountPicker onPick={setAccountId} />
      {accountId && <AccountView key={accountId} accountId={accountId} />}
      <Reconciliation />
    </section>
  );
}

function AccountPicker({ onPick }: { onPick: (id: string) => void }) {
  const { t } = useLanguage();
  const { secretKey, sandbox } = useSession();
  const [typed, setTyped] = useState('');
  const [chosen, setChosen] = useState('');
  const lists = useRead(
    useCallback(async () => {
      const api = client({ token: secretKey });
      const pages = await Promise.all(
        KINDS.map((kind) => answer(api.GET('/v1/ledger/accounts', { params: { query: { kind, limit: 100 } } }))),
      );
      return Object.fromEntries(KINDS.map((kind, i) => [kind, pages[i].data])) as Record<(typeof KINDS)[number], Account[]>;
    }, [secretKey]),
    sandbox.clock.now,
  );
  return (
    <section aria-labelledby="picker-heading" className="account-picker">
      <h3 id="picker-heading">{t('ledger.pick')}</h3>
      <ProblemView problem={lists.problem} />
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (chosen) onPick(chosen);
        }}
      >
        <label>
          {t('ledger.fromList')}
          <select value={chosen} onChange={(e) => setChosen(e.target.value)}>
            <option value="">{t('ledger.choose')}</option>
            {KINDS.map((kind) => (
              <optgroup key={kind} label={t(`ledger.kind.${kind}s` as MessageKey)}>
                {(lists.data?.[kind] ?? []).map((account) => (
                  <option key={account.id} value={account.id}>
                    {account.id} — {formatYen(account.balance)}
                  </option>
                ))}
              </optgroup>
            ))}
          </select>
        </label>
        <button type="submit" disabled={!chosen}>
          {t('ledger.show')}
        </button>
      </form>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (typed.trim()) onPick(typed.trim());
        }}
      >
        <label>
          {t('ledger.byId')}
          <input value={typed} spellCheck={false} placeholder="wal_… / sto_…" onChange={(e) => setTyped(e.target.value)} />
        </label>
        <button type="submit" disabled={!typed.trim()}>
          {t('ledger.show')}
        </button>
      </form>
    </section>
  );
}

function AccountView({ accountId }: { accountId: string }) {
  const { t } = useLanguage();
  const { secretKey, sandbox } = useSession();
  const read = useRead(
    useCallback(async () => {
      const api = client({ token: secretKey });
      const path = { params: { path: { id: accountId } } };
      const [account, transfers, pending] = await Promise.all([
        answer(api.GET('/v1/ledger/accounts/{id}', path)),
        answer(api.GET('/v1/ledger/accounts/{id}/transfers', { params: { path: { id: accountId }, query: { limit: 50 } } })),
        answer(api.GET('/v1/ledger/accounts/{id}/pending-transfers', { params: { path: { id: accountId }, query: { limit: 50 } } })),
      ]);
      return { account, transfers, pending: pending.data };
    }, [secretKey, accountId]),
    sandbox.clock.now,
  );
  const data = read.data;
  return (
    <section aria-labelledby="account-heading" className="ledger-account" data-testid="ledger-account">
      <div className="section-head">
        <h3 id="account-heading">{t('ledger.account', { id: accountId })}</h3>
        <button type="button" className="secondary" disabled={read.busy} onClick={() => void read.reload()}>
          {t('common.refresh')}
        </button>
      </div>
      <ProblemView problem={read.problem} />
      {data && (
        <>
          <dl className="facts" data-testid="account-facts">
            <dt>{t('ledger.kind')}</dt>
            <dd>{t(`ledger.kind.${data.account.kind}` as MessageKey)}</dd>
            <dt>{t('ledger.balance')}</dt>
            <dd data-testid="account-balance">{formatYen(data.account.balance)}</dd>
            {data.account.kind === 'wallet' && (
              <>
                <dt>{t('ledger.available')}</dt>
                <dd>{formatYen(data.account.available)}</dd>
                <dt>{t('ledger.reserved')}</dt>
                <dd>{formatYen(data.account.reserved)}</dd>
                <dt>{t('ledger.holds')}</dt>
                <dd>{data.account.holds}</dd>
              </>
            )}
          </dl>
          {data.account.kind === 'system' && <p className="hint">{t('ledger.systemHint')}</p>}
          <Transfers key={data.transfers.data[0]?.id} accountId={accountId} first={data.transfers} />
          <PendingTransfers accountId={accountId} pending={data.pending} />
        </>
      )}
    </section>
  );
}

function kindOf(code: string, t: Translate): string {
  return t(`money.kind.${code}` as MessageKey);
}

function Transfers({ accountId, first }: { accountId: string; first: { data: Transfer[]; has_more: boolean } }) {
  const { t, language } = useLanguage();
  const { secretKey, sandbox } = useSession();
  const zone = sandboxTimeZone(sandbox.clock.now);
  const [earlier, setEarlier] = useState<{ data: Transfer[]; has_more: boolean }>({ data: [], has_more: first.has_more });
  const transfers = [...first.data, ...earlier.data];
  const more = useAction(async () => {
    const query = { limit: 50, starting_after: transfers.at(-1)?.id };
    const page = await answer(
      client({ token: secretKey }).GET('/v1/ledger/accounts/{id}/transfers', { params: { path: { id: accountId }, query } }),
    );
    setEarlier({ data: [...earlier.data, ...page.data], has_more: page.has_more });
  });
  return (
    <>
      <h4>{t('ledger.transfers')}</h4>
      {transfers.length === 0 ? (
        <p className="hint">{t('ledger.noTransfers')}</p>
      ) : (
        <TableScroll label={t('ledger.transfers')}>
          <table className="figures-table" data-testid="transfers">
            <thead>
              <tr>
                <th scope="col">{t('ledger.when')}</th>
                <th scope="col">{t('ledger.purpose')}</th>
                <th scope="col">{t('ledger.amount')}</th>
                <th scope="col">{t('ledger.counterparty')}</th>
                <th scope="col">{t('ledger.reference')}</th>
              </tr>
            </thead>
            <tbody>
              {transfers.map((transfer) => (
                <tr key={transfer.id} data-testid="transfer">
                  <td>
                    <time dateTime={transfer.postedAt}>{formatTime(transfer.postedAt, language, zone)}</time>
                  </td>
                  <td>{kindOf(transfer.code, t)}</td>
                  <td className={transfer.amount < 0 ? 'out' : 'in'}>{signedYen(transfer.amount)}</td>
                  <td>
                    <code>{transfer.debitAccountId === accountId ? transfer.creditAccountId : transfer.debitAccountId}</code>
                  </td>
                  <td>
                    <code>{reference(transfer.metadata) ?? transfer.id}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
      {earlier.has_more && (
        <button type="button" className="secondary" disabled={more.busy} onClick={() => void more.run()}>
          {t('ledger.earlier')}
        </button>
      )}
      <ProblemView problem={more.problem} />
    </>
  );
}

function PendingTransfers({ accountId, pending }: { accountId: string; pending: Pending[] }) {
  const { t, language } = useLanguage();
  const { sandbox } = useSession();
  const zone = sandboxTimeZone(sandbox.clock.now);
  return (
    <>
      <h4>{t('ledger.pending')}</h4>
      {pending.length === 0 ? (
        <p className="hint">{t('ledger.noPending')}</p>
      ) : (
        <TableScroll label={t('ledger.pending')}>
          <table className="figures-table" data-testid="pending-transfers">
            <thead>
              <tr>
                <th scope="col">{t('ledger.when')}</th>
                <th scope="col">{t('ledger.purpose')}</th>
                <th scope="col">{t('ledger.amount')}</th>
                <th scope="col">{t('ledger.counterparty')}</th>
                <th scope="col">{t('ledger.status')}</th>
              </tr>
            </thead>
            <tbody>
              {pending.map((p) => (
                <tr key={p.id} data-testid="pending-transfer">
                  <td>
                    <time dateTime={p.createdAt}>{formatTime(p.createdAt, language, zone)}</time>
                  </td>
                  <td>{kindOf(p.code, t)}</td>
                  <td>{formatYen(p.amount)}</td>
                  <td>
                    <code>{p.debitAccountId === accountId ? p.creditAccountId : p.debitAccountId}</code>
                  </td>
                  <td>
                    {t(`ledger.pending.${p.status}` as MessageKey)}
                    {p.status === 'pending' && p.expiresAt && (
                      <span className="muted"> {t('ledger.expires', { time: formatTime(p.expiresAt, language, zone) })}</span>
                    )}
                    {p.postedAmount !== null && <span className="muted"> {formatYen(p.postedAmount)}</span>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
    </>
  );
}

function signedYen(amount: number): string {
  return amount < 0 ? `−${formatYen(-amount)}` : `+${formatYen(amount)}`;
}

/** What caused a transfer, by the id its metadata names first. */
function reference(metadata: Record<string, unknown>): string | null {
  for (const key of ['paymentId', 'topupId', 'claimId', 'holdId', 'refundId']) if (typeof metadata[key] === 'string') return metadata[key];
  return null;
}

/** GET /v1/reports/reconciliation written out: each check in a sentence, the figures beside it. */
function Reconciliation() {
  const { t, language } = useLanguage();
  const { secretKey, sandbox } = useSession();
  const read = useRead(
    useCallback(
      async () => (await answer(client({ token: secretKey }).GET('/v1/reports/reconciliation'))) as unknown as ReconciliationReport,
      [secretKey],
    ),
    sandbox.clock.now,
  );
  const report = read.data;
  const zone = sandboxTimeZone(sandbox.clock.now);
  return (
    <section aria-labelledby="reconciliation-heading" className="reconciliation" data-testid="reconciliation-report">
      <div className="section-head">
        <h3 id="reconciliation-heading">{t('ledger.reconciliation')}</h3>
        <button type="button" className="secondary" disabled={read.busy} onClick={() => void read.reload()}>
          {t('common.refresh')}
        </button>
      </div>
      <ProblemView problem={read.problem} />
      {report && (
        <>
          <p className={`reconciliation-verdict ${report.ok ? 'ok' : 'broken'}`} data-testid="reconciliation-verdict">
            {report.ok
              ? t('ledger.verdict.ok', { time: formatTime(report.asOf, language, zone) })
              : t('ledger.verdict.broken', { count: report.discrepancies.length, time: formatTime(report.asOf, language, zone) })}
          </p>
          {!report.ok && (
            <ul className="discrepancies" data-testid="discrepancies">
              {report.discrepancies.map((d, i) => (
                <li key={i}>{discrepancyInWords(d, t)}</li>
              ))}
            </ul>
          )}
          <ReportInWords report={report} />
        </>
      )}
    </section>
  );
}

function ReportInWords({ report }: { report: ReconciliationReport }) {
  const { t } = useLanguage();
  const totals = report.totals;
  const moneyIn = flowTotal(totals.walletFlows.in);
  const moneyOut = flowTotal(totals.walletFlows.out);
  const codes = [...new Set([...Object.keys(totals.walletFlows.in), ...Object.keys(totals.walletFlows.out)])].sort();
  return (
    <>
      <ul className="report-words" data-testid="reconciliation-words">
        <li>
          {t('ledger.words.transfers', {
            transfers: totals.transfers,
            wallets: totals.accounts.wallet,
            stores: totals.accounts.store,
            system: totals.accounts.system,
          })}
        </li>
        <li>{t('ledger.words.entries', { sum: formatYen(totals.entriesSum) })}</li>
        <li>
          {t('ledger.words.wallets', {
            balances: formatYen(totals.walletBalances),
            reserved: formatYen(totals.walletReserved),
            count: totals.pendingTransfers.count,
            pending: formatYen(totals.pendingTransfers.amount),
          })}
        </li>
        <li>{t('ledger.words.flows', { balances: formatYen(totals.walletBalances), in: formatYen(moneyIn), out: formatYen(moneyOut) })}</li>
        <li>{t('ledger.words.stores', { amount: formatYen(totals.storeBalances) })}</li>
      </ul>
      {codes.length > 0 && (
        <table className="figures-table" data-testid="wallet-flows">
          <caption>{t('ledger.flowsCaption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('ledger.purpose')}</th>
              <th scope="col">{t('ledger.in')}</th>
              <th scope="col">{t('ledger.out')}</th>
            </tr>
          </thead>
          <tbody>
            {codes.map((code) => (
              <tr key={code}>
                <th scope="row">{kindOf(code, t)}</th>
                <td>{formatYen(totals.walletFlows.in[code] ?? 0)}</td>
                <td>{formatYen(totals.walletFlows.out[code] ?? 0)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
