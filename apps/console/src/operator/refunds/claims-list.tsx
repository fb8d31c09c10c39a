import { useCallback, useEffect, useState } from 'react';
import { answer } from '../../api.js';
import { ProblemView } from '../../components/problem-view.js';
import { type MessageKey, formatYen, useLanguage } from '../../i18n/index.js';
import { When, useOperatorApi, usePolled } from '../fraud/shared.js';
import { ListTable, RowButton } from './list-table.js';
import { usePaged } from './paged.js';
import { CLAIM_STATUSES, type ClaimStatus, type RefundClaim } from './types.js';

const POLL_MS = 3000;
const PAGE_SIZE = 20;

/** Claims, newest first, by status with each status's count; one opened below. */
export function ClaimsList({ openId, onOpen, changes }: { openId: string | null; onOpen: (id: string) => void; changes: number }) {
  const { t } = useLanguage();
  const api = useOperatorApi();
  const [status, setStatus] = useState<ClaimStatus | ''>('');
  const readPage = useCallback(
    (after: string | undefined) => {
      const query = { limit: PAGE_SIZE, ...(status ? { status } : {}), ...(after ? { starting_after: after } : {}) };
      return answer(api.GET('/v1/refund-claims', { params: { query } }));
    },
    [api, status],
  );
  const claims = usePaged(readPage, claimId, POLL_MS);
  const counts = usePolled(
    useCallback(async () => (await answer(api.GET('/v1/reports/refunds'))).claims, [api]),
    POLL_MS,
  );
  const { reload: reloadClaims } = claims;
  const { reload: reloadCounts } = counts;
  useEffect(() => {
    if (changes === 0) return;
    void reloadClaims();
    void reloadCounts();
  }, [changes, reloadClaims, reloadCounts]);
  const total = counts.value ? CLAIM_STATUSES.reduce((sum, s) => sum + counts.value![s], 0) : null;
  const list = claims.value?.data ?? [];
  const choose = (next: ClaimStatus | '') => {
    setStatus(next);
    claims.reset();
  };
  return (
    <section className="refund-section" aria-labelledby="claims-heading">
      <div className="section-head">
        <h3 id="claims-heading">{t('refunds.claims.heading')}</h3>
        <button type="button" className="secondary" onClick={() => void claims.reload()}>
          {t('common.refresh')}
        </button>
      </div>
      <div className="segmented status-filter" role="group" aria-label={t('refunds.claims.byStatus')}>
        <button type="button" className="tab" aria-pressed={status === ''} onClick={() => choose('')}>
          {t('refunds.claims.all')} <span className="count">{total ?? '…'}</span>
        </button>
        {CLAIM_STATUSES.map((s) => (
          <button key={s} type="button" className="tab" aria-pressed={status === s} onClick={() => choose(s)} data-status={s}>
            {t(`home.claim.${s}` as MessageKey)} <span className="count">{counts.value?.[s] ?? '…'}</span>
          </button>
        ))}
      </div>
      <ProblemView problem={claims.problem ?? counts.problem} />
      <ListTable
        labelledBy="claims-heading"
        testId="claims-table"
        list={claims.value}
        none={t('refunds.claims.none')}
        columns={[
          { label: t('refunds.claim.filed') },
          { label: t('refunds.claim.wallet') },
          { label: t('refunds.claim.status') },
          { label: t('refunds.claim.method') },
          { label: t('refunds.claim.amount'), number: true },
        ]}
        action={t('refunds.claim.open')}
        onMore={claims.more}
      >
        {list.map((claim) => (
          <tr key={claim.id} data-claim={claim.id} aria-current={claim.id === openId ? 'true' : undefined}>
            <td>
              <When at={claim.createdAt} />
            </td>
            <td>
              <code>{claim.walletId}</code>
            </td>
            <td>
              <ClaimStatusBadge status={claim.status} />
            </td>
            <td>{t(`refunds.method.${claim.method}` as MessageKey)}</td>
            <td className="number">{formatYen(claim.amount)}</td>
            <td>
              <RowButton
                label={t('refunds.claim.open')}
                name={t('refunds.claim.openOne', { id: claim.id })}
                onClick={() => onOpen(claim.id)}
              />
            </td>
          </tr>
        ))}
      </ListTable>
    </section>
  );
}

const claimId = (claim: RefundClaim) => claim.id;

export function ClaimStatusBadge({ status }: { status: ClaimStatus }) {
  const { t } = useLanguage();
  return (
    <span className={`status ${status}`} data-testid="claim-status">
      {t(`home.claim.${status}` as MessageKey)}
    </span>
  );
}
