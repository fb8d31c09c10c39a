import { useCallback, useState } from 'react';
import { ProblemView } from '../../components/problem-view.js';
import { TableScroll } from '../../components/table-scroll.js';
import { useLanguage } from '../../i18n/index.js';
import { InputsList, RuleName, When, read, useOperatorApi, usePolled } from './shared.js';
import type { Alert, Page } from './types.js';

const POLL_MS = 3000;

/** Rule hits on what cannot be held: a store guessing codes, an address failing on many accounts. */
export function AlertsView() {
  const { t } = useLanguage();
  const api = useOperatorApi();
  const [subjectType, setSubjectType] = useState<'' | 'store' | 'ip'>('');
  const [limit, setLimit] = useState(50);
  const fetchAlerts = useCallback(
    () => read<Page<Alert>>(api.GET('/v1/fraud/alerts', { params: { query: { limit, ...(subjectType ? { subjectType } : {}) } } })),
    [api, subjectType, limit],
  );
  const alerts = usePolled(fetchAlerts, POLL_MS);
  const list = alerts.value?.data ?? [];
  return (
    <section className="fraud-section" aria-labelledby="alerts-heading">
      <h3 id="alerts-heading">{t('fraud.alerts.heading')}</h3>
      <p className="muted">{t('fraud.alerts.explain')}</p>
      <div className="fraud-filters">
        <label>
          {t('fraud.alerts.subject')}
          <select value={subjectType} onChange={(event) => setSubjectType(event.target.value as '' | 'store' | 'ip')}>
            <option value="">{t('fraud.alerts.subject.all')}</option>
            <option value="ip">{t('fraud.alerts.subject.ip')}</option>
            <option value="store">{t('fraud.alerts.subject.store')}</option>
          </select>
        </label>
        <button type="button" className="secondary" onClick={() => void alerts.reload()}>
          {t('fraud.refresh')}
        </button>
      </div>
      <ProblemView problem={alerts.problem} />
      {alerts.value && list.length === 0 ? (
        <p role="status">{t('fraud.alerts.none')}</p>
      ) : (
        <TableScroll labelledBy="alerts-heading">
          <table className="fraud-table" data-testid="alerts-table">
            <thead>
              <tr>
                <th scope="col">{t('fraud.case.at')}</th>
                <th scope="col">{t('fraud.alerts.subject')}</th>
                <th scope="col">{t('fraud.rule')}</th>
                <th scope="col">{t('fraud.holds.score')}</th>
                <th scope="col">{t('fraud.inputs')}</th>
              </tr>
            </thead>
            <tbody>
              {list.map((alert) => (
                <tr key={`${alert.id}/${alert.rule}`} data-rule={alert.rule}>
                  <td>
                    <When at={alert.occurredAt} />
                  </td>
                  <td>
                    {t(alert.subjectType === 'ip' ? 'fraud.alerts.subject.ip' : 'fraud.alerts.subject.store')}{' '}
                    <code>{alert.subjectId}</code>
                  </td>
                  <td>
                    <RuleName rule={alert.rule} />
                  </td>
                  <td className="number">{alert.score}</td>
                  <td>
                    <InputsList inputs={alert.inputs} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
      {alerts.value?.has_more && limit < 100 && (
        <button type="button" className="secondary" onClick={() => setLimit((n) => Math.min(100, n + 50))}>
          {t('fraud.more')}
        </button>
      )}
    </section>
  );
}
