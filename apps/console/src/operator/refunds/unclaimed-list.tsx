import { useCallback } from 'react';
import { answer } from '../../api.js';
import { ProblemView } from '../../components/problem-view.js';
import { formatYen, useLanguage } from '../../i18n/index.js';
import { useOperatorApi } from '../fraud/shared.js';
import { ListTable } from './list-table.js';
import { usePaged } from './paged.js';
import type { UnclaimedBalance } from './types.js';

const PAGE_SIZE = 25;

/** Balances nobody claims, by wallet: what the operator may still refund case by case. */
export function UnclaimedList() {
  const { t } = useLanguage();
  const api = useOperatorApi();
  const readPage = useCallback(
    (after: string | undefined) =>
      answer(
        api.GET('/v1/reports/refunds/unclaimed', { params: { query: { limit: PAGE_SIZE, ...(after ? { starting_after: after } : {}) } } }),
      ),
    [api],
  );
  const unclaimed = usePaged(readPage, walletOf, 0);
  const list = unclaimed.value?.data ?? [];
  return (
    <section className="refund-section" aria-labelledby="unclaimed-heading">
      <div className="section-head">
        <h3 id="unclaimed-heading">{t('refunds.unclaimed.heading')}</h3>
        <button type="button" className="secondary" onClick={() => void unclaimed.reload()}>
          {t('common.refresh')}
        </button>
      </div>
      <p className="muted">{t('refunds.unclaimed.explain')}</p>
      <ProblemView problem={unclaimed.problem} />
      <ListTable
        labelledBy="unclaimed-heading"
        testId="unclaimed-table"
        list={unclaimed.value}
        none={t('refunds.unclaimed.none')}
        columns={[{ label: t('refunds.claim.wallet') }, { label: t('refunds.unclaimed.balance'), number: true }]}
        onMore={unclaimed.more}
      >
        {list.map((row) => (
          <tr key={row.walletId}>
            <td>
              <code>{row.walletId}</code>
            </td>
            <td className="number">{formatYen(row.balance)}</td>
          </tr>
        ))}
      </ListTable>
    </section>
  );
}

const walletOf = (row: UnclaimedBalance) => row.walletId;
