import { useCallback, useState } from 'react';
import { ProblemView } from '../../components/problem-view.js';
import { TableScroll } from '../../components/table-scroll.js';
import { type MessageKey, useLanguage } from '../../i18n/index.js';
import { HoldDetail } from './hold-detail.js';
import { RuleName, When, read, useOperatorApi, usePolled } from './shared.js';
import { HOLD_STATUSES, type Hold, type HoldStatus, type Page } from './types.js';

const POLL_MS = 3000;
const PAGE_SIZE = 25;

/** Holds, newest first, filtered by status; one opened below the list. */
export function HoldsQueue({ openId, onOpen }: { openId: string | null; onOpen: (id: string | null) => void }) {
  const { t } = useLanguage();
  const api = useOperatorApi();
  const [status, setStatus] = useState<HoldStatus | ''>('open');
  const [pages, setPages] = useState(1);
  const fetchHolds = useCallback(async () => {
    // Re-reads every page shown so far, so a decision made elsewhere shows in place.
    const data: Hold[] = [];
    let after: string | undefined;
    let more = false;
    for (let page = 0; page < pages; page++) {
      const query = { limit: PAGE_SIZE, ...(status ? { status } : {}), ...(after ? { starting_after: after } : {}) };
      const answer = await read<Page<Hold>>(api.GET('/v1/holds', { params: { query } }));
      data.push(...answer.data);
      more = answer.has_more;
      after = answer.data.at(-1)?.id;
      if (!more) break;
    }
    return { data, more };
  }, [api, status, pages]);
  const holds = usePolled(fetchHolds, POLL_MS);
  const list = holds.value?.data ?? [];
  return (
    <>
      <section className="fraud-section" aria-labelledby="holds-heading">
        <h3 id="holds-heading">{t('fraud.holds.heading')}</h3>
        <p className="muted">{t('fraud.holds.explain')}</p>
        <div className="fraud-filters">
          <label>
            {t('fraud.holds.status')}
            <select
              value={status}
              onChange={(event) => {
                setStatus(event.target.value as HoldStatus | '');
                setPages(1);
              }}
            >
              <option value="">{t('fraud.holds.status.all')}</option>
              {HOLD_STATUSES.map((s) => (
                <option key={s} value={s}>
                  {t(`fraud.status.${s}` as MessageKey)}
                </option>
              ))}
            </select>
          </label>
          <button type="button" className="secondary" onClick={() => void holds.reload()}>
            {t('fraud.refresh')}
          </button>
        </div>
        <ProblemView problem={holds.problem} />
        {holds.value && list.length === 0 ? (
          <p role="status">{t('fraud.holds.none')}</p>
        ) : (
          <TableScroll labelledBy="holds-heading">
            <table className="fraud-table" data-testid="holds-table">
              <thead>
                <tr>
                  <th scope="col">{t('fraud.holds.placed')}</th>
                  <th scope="col">{t('fraud.holds.wallet')}</th>
                  <th scope="col">{t('fraud.holds.status')}</th>
                  <th scope="col">{t('fraud.holds.score')}</th>
                  <th scope="col">{t('fraud.holds.reason')}</th>
                  <th scope="col">
                    <span className="visually-hidden">{t('fraud.holds.open')}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {list.map((hold) => (
                  <tr key={hold.id} data-hold={hold.id} aria-current={hold.id === openId ? 'true' : undefined}>
                    <td>
                      <When at={hold.createdAt} />
                    </td>
                    <td>
                      <code>{hold.walletId}</code>
                    </td>
                    <td>
                      <span className={`status ${hold.status}`}>{t(`fraud.status.${hold.status}` as MessageKey)}</span>
                    </td>
                    <td className="number">{hold.score}</td>
                    <td>
                      {hold.reason}
                      {hold.rules.length > 0 && (
                        <ul className="rule-chips">
                          {hold.rules.map((rule) => (
                            <li key={rule}>
                              <RuleName rule={rule} />
                            </li>
                          ))}
                        </ul>
                      )}
                    </td>
                    <td>
                      <button
                        type="button"
                        className="secondary"
                        onClick={() => onOpen(hold.id)}
                        aria-label={t('fraud.holds.openOne', { id: hold.id })}
                      >
                        {t('fraud.holds.open')}
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
        )}
        {holds.value?.more && (
          <button type="button" className="secondary" onClick={() => setPages((n) => n + 1)}>
            {t('fraud.more')}
          </button>
        )}
      </section>
      {openId && <HoldDetail key={openId} holdId={openId} onClose={() => onOpen(null)} onDecided={() => void holds.reload()} />}
    </>
  );
}
