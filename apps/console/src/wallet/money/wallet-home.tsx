import { useCallback, useState } from 'react';
import { answer } from '../../api.js';
import { ProblemView } from '../../components/problem-view.js';
import { useAction } from '../../components/use-action.js';
import { type MessageKey, formatTime, formatYen, sandboxTimeZone, useLanguage } from '../../i18n/index.js';
import { useSession } from '../../session.js';
import { useWallet } from '../wallet-session.js';
import { type WalletTransaction, useOnWalletChange, useWalletBalance, walletChanged } from './money-api.js';

const PAGE = 20;

/** Balance, available balance and history. */
export function WalletHome() {
  const { t } = useLanguage();
  const wallet = useWallet();
  const { view } = useWalletBalance(wallet, 5000);
  const [history, setHistory] = useState<{ data: WalletTransaction[]; hasMore: boolean } | null>(null);

  const readHistory = useCallback(async () => {
    const page = (await answer(wallet.api().GET('/v1/wallet/transactions', { params: { query: { limit: PAGE } } }))) as unknown as {
      data: WalletTransaction[];
      has_more: boolean;
    };
    // A newer first page replaces what was shown; earlier pages loaded by hand stay below it.
    setHistory((shown) => {
      const fresh = new Set(page.data.map((row) => row.id));
      const older = (shown?.data ?? []).filter((row) => !fresh.has(row.id) && row.id < (page.data.at(-1)?.id ?? ''));
      return { data: [...page.data, ...older], hasMore: older.length > 0 ? (shown?.hasMore ?? false) : page.has_more };
    });
  }, [wallet]);
  useOnWalletChange(wallet.slot, readHistory, 5000);

  const refresh = useAction(async () => {
    walletChanged(wallet.slot);
    await readHistory();
  });
  const more = useAction(async () => {
    const last = history?.data.at(-1)?.id;
    const page = (await answer(
      wallet.api().GET('/v1/wallet/transactions', { params: { query: { limit: PAGE, starting_after: last } } }),
    )) as unknown as { data: WalletTransaction[]; has_more: boolean };
    setHistory((shown) => ({ data: [...(shown?.data ?? []), ...page.data], hasMore: page.has_more }));
  });

  return (
    <div className="money-screen">
      <section className="balance-card" aria-labelledby={`balance-${wallet.slot}`}>
        <h3 id={`balance-${wallet.slot}`}>{t('money.home.balance')}</h3>
        <p className="balance" data-testid="balance">
          {view ? formatYen(view.balance) : '…'}
        </p>
        <p className="available">
          {t('money.home.available')}: <strong data-testid="available">{view ? formatYen(view.available) : '…'}</strong>
        </p>
        {view && view.available !== view.balance && <p className="hint">{t('money.home.reserved')}</p>}
        {view?.status === 'on_hold' && (
          <p className="notice warning" role="status">
            {t('money.home.onHold')}
          </p>
        )}
        <button type="button" className="secondary" onClick={() => void refresh.run()} disabled={refresh.busy}>
          {t('money.refresh')}
        </button>
        <ProblemView problem={refresh.problem} />
      </section>
      <section aria-labelledby={`history-${wallet.slot}`}>
        <h3 id={`history-${wallet.slot}`}>{t('money.home.history')}</h3>
        {history && history.data.length === 0 && <p className="hint">{t('money.home.empty')}</p>}
        <ul className="history" data-testid="history">
          {history?.data.map((row) => (
            <HistoryRow key={row.id} row={row} />
          ))}
        </ul>
        {history?.hasMore && (
          <button type="button" className="secondary" onClick={() => void more.run()} disabled={more.busy}>
            {t('money.home.more')}
          </button>
        )}
        <ProblemView problem={more.problem} />
      </section>
    </div>
  );
}

const KINDS: Record<string, MessageKey> = {
  sandbox_funding: 'money.kind.sandbox_funding',
  topup: 'money.kind.topup',
  payment: 'money.kind.payment',
  refund: 'money.kind.refund',
  payout: 'money.kind.payout',
  reversal: 'money.kind.reversal',
  compensation: 'money.kind.compensation',
  fee: 'money.kind.fee',
};

export const CHANNELS: Record<string, MessageKey> = {
  card: 'money.channel.card',
  bank_debit: 'money.channel.bank_debit',
  atm: 'money.channel.atm',
  register_cash: 'money.channel.register_cash',
  points: 'money.channel.points',
};

/** A yen amount with its sign: +¥1,000 in, −¥500 out. */
export function signedYen(amount: number): string {
  return amount > 0 ? `+${formatYen(amount)}` : formatYen(amount);
}

function HistoryRow({ row }: { row: WalletTransaction }) {
  const { t, language } = useLanguage();
  const { sandbox } = useSession();
  const kind = KINDS[row.type] ? t(KINDS[row.type]) : row.type;
  const channel = row.reference.channel && CHANNELS[row.reference.channel] ? t(CHANNELS[row.reference.channel]) : null;
  return (
    <li className="history-row" data-type={row.type}>
      <span className="history-kind">
        {kind}
        {channel && <span className="history-channel"> · {channel}</span>}
      </span>
      <span className={row.amount < 0 ? 'amount out' : 'amount in'}>{signedYen(row.amount)}</span>
      <time className="history-time" dateTime={row.createdAt}>
        {formatTime(row.createdAt, language, sandboxTimeZone(sandbox.clock.now))}
      </time>
    </li>
  );
}
