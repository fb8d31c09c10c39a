import { useCallback, useEffect, useRef, useState } from 'react';
import { ProblemView } from '../../components/problem-view.js';
import { TableScroll } from '../../components/table-scroll.js';
import { useAction } from '../../components/use-action.js';
import { type MessageKey, formatYen, useLanguage } from '../../i18n/index.js';
import { InputsList, RuleName, When, read, useOperatorApi, usePolled } from './shared.js';
import type { CaseFile, DecidedHold, Hold } from './types.js';

type Decision = 'release' | 'confirm';

/** One hold: why the rules placed it, what the wallet did around it, and the reviewer's decision. */
export function HoldDetail({ holdId, onClose, onDecided }: { holdId: string; onClose: () => void; onDecided: () => void }) {
  const { t } = useLanguage();
  const api = useOperatorApi();
  const fetchHold = useCallback(async () => {
    const path = { params: { path: { id: holdId } } };
    const [hold, file] = await Promise.all([
      read<Hold>(api.GET('/v1/holds/{id}', path)),
      read<CaseFile>(api.GET('/v1/holds/{id}/case-file', path)),
    ]);
    return { hold, file };
  }, [api, holdId]);
  const loaded = usePolled(fetchHold, 0);
  const [victimId, setVictimId] = useState<string | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  const hold = loaded.value?.hold;
  const file = loaded.value?.file;
  return (
    <section className="fraud-section hold-detail" aria-labelledby="hold-heading" data-testid="hold-detail">
      <div className="section-head">
        <h3 id="hold-heading" ref={heading} tabIndex={-1}>
          {t('fraud.hold.heading', { id: holdId })}
        </h3>
        <button type="button" className="secondary" onClick={onClose}>
          {t('fraud.hold.close')}
        </button>
      </div>
      <ProblemView problem={loaded.problem} />
      {hold && (
        <>
          <dl className="fraud-facts">
            <div>
              <dt>{t('fraud.holds.status')}</dt>
              <dd>
                <span className={`status ${hold.status}`} data-testid="hold-status">
                  {t(`fraud.status.${hold.status}` as MessageKey)}
                </span>
              </dd>
            </div>
            <div>
              <dt>{t('fraud.holds.wallet')}</dt>
              <dd>
                <code>{hold.walletId}</code>
              </dd>
            </div>
            <div>
              <dt>{t('fraud.holds.score')}</dt>
              <dd>
                {hold.score}
                {hold.sessionRisk > 0 && <> ({t('fraud.hold.sessionRisk', { score: hold.sessionRisk })})</>}
              </dd>
            </div>
            <div>
              <dt>{t('fraud.holds.reason')}</dt>
              <dd>{hold.reason}</dd>
            </div>
            <div>
              <dt>{t('fraud.hold.since')}</dt>
              <dd>
                <When at={hold.windowStart} />
              </dd>
            </div>
            <div>
              <dt>{t(hold.resolvedAt ? 'fraud.hold.resolved' : 'fraud.hold.expires')}</dt>
              <dd>
                <When at={hold.resolvedAt ?? hold.expiresAt} />
              </dd>
            </div>
          </dl>
          <h4>{t('fraud.hold.hits')}</h4>
          {hold.hits.length === 0 ? (
            <p>{t('fraud.hold.noHits')}</p>
          ) : (
            <table className="fraud-table" data-testid="rule-hits">
              <caption className="visually-hidden">{t('fraud.hold.hits')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('fraud.rule')}</th>
                  <th scope="col">{t('fraud.holds.score')}</th>
                  <th scope="col">{t('fraud.inputs')}</th>
                </tr>
              </thead>
              <tbody>
                {hold.hits.map((hit) => (
                  <tr key={hit.rule} data-rule={hit.rule}>
                    <td>
                      <RuleName rule={hit.rule} />
                    </td>
                    <td className="number">{hit.score}</td>
                    <td>
                      <InputsList inputs={hit.inputs} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {hold.status === 'open' ? (
            <Review
              hold={hold}
              onDecided={(decided) => {
                setVictimId(decided.victimId ?? null);
                void loaded.reload();
                onDecided();
              }}
            />
          ) : (
            <p className="notice" role="status" data-testid="hold-outcome">
              {t(`fraud.hold.outcome.${hold.status}` as MessageKey, { by: hold.resolvedBy ?? '', reason: hold.resolutionReason ?? '' })}
              {victimId && <> {t('fraud.hold.victim', { id: victimId })}</>}
            </p>
          )}
          <h4>{t('fraud.hold.audit')}</h4>
          <ol className="audit-trail">
            {hold.audit.map((entry, index) => (
              <li key={index}>
                <When at={entry.at} /> — <strong>{entry.action}</strong> {t('fraud.hold.by', { actor: entry.actor })}
                {entry.note && <>: {entry.note}</>}
              </li>
            ))}
          </ol>
        </>
      )}
      {file && <CaseFileView file={file} />}
    </section>
  );
}

/** Release or confirm fraud, each asked twice: the second click says what it will do. */
function Review({ hold, onDecided }: { hold: Hold; onDecided: (hold: DecidedHold) => void }) {
  const { t } = useLanguage();
  const api = useOperatorApi();
  const [reason, setReason] = useState('');
  const [pending, setPending] = useState<Decision | null>(null);
  const decide = useAction(
    useCallback(
      async (decision: Decision) => {
        const params = { params: { path: { id: hold.id } }, body: reason.trim() ? { reason: reason.trim() } : {} };
        const decided =
          decision === 'release'
            ? await read<DecidedHold>(api.POST('/v1/holds/{id}/release', params))
            : await read<DecidedHold>(api.POST('/v1/holds/{id}/confirm-fraud', params));
        setPending(null);
        onDecided(decided);
        return decided;
      },
      [api, hold.id, reason, onDecided],
    ),
  );
  return (
    <div className="review" data-testid="review">
      <h4>{t('fraud.review.heading')}</h4>
      <label>
        {t('fraud.review.reason')}
        <input value={reason} onChange={(event) => setReason(event.target.value)} maxLength={500} />
      </label>
      {pending === null ? (
        <div className="actions">
          <button type="button" className="secondary" onClick={() => setPending('release')}>
            {t('fraud.review.release')}
          </button>
          <button type="button" className="danger" onClick={() => setPending('confirm')}>
            {t('fraud.review.confirm')}
          </button>
        </div>
      ) : (
        <div className="confirm" role="alertdialog" aria-labelledby="review-question" aria-describedby="review-effect">
          <p id="review-question">
            <strong>
              {t(pending === 'release' ? 'fraud.review.releaseQuestion' : 'fraud.review.confirmQuestion', { wallet: hold.walletId })}
            </strong>
          </p>
          <p id="review-effect">{t(pending === 'release' ? 'fraud.review.releaseEffect' : 'fraud.review.confirmEffect')}</p>
          <div className="actions">
            <button
              type="button"
              className={pending === 'confirm' ? 'danger' : undefined}
              disabled={decide.busy}
              onClick={() => void decide.run(pending)}
              autoFocus
            >
              {t(pending === 'release' ? 'fraud.review.releaseYes' : 'fraud.review.confirmYes')}
            </button>
            <button type="button" className="secondary" onClick={() => setPending(null)}>
              {t('fraud.review.cancel')}
            </button>
          </div>
        </div>
      )}
      <ProblemView problem={decide.problem} />
    </div>
  );
}

/** The wallet's recent activity, from a week before the case began. */
function CaseFileView({ file }: { file: CaseFile }) {
  const { t } = useLanguage();
  const country = (c: 'JP' | 'overseas') => t(c === 'JP' ? 'fraud.case.japan' : 'fraud.case.overseas');
  return (
    <div className="case-file" data-testid="case-file">
      <h4>{t('fraud.case.heading')}</h4>
      <p className="muted">
        {t('fraud.case.period')} <When at={file.from} /> – <When at={file.to} />
      </p>
      <h5 id="case-signins">{t('fraud.case.signIns')}</h5>
      <CaseTable
        labelledBy="case-signins"
        testId="case-signins"
        empty={file.signIns.length === 0}
        head={[t('fraud.case.at'), t('fraud.case.ip'), t('fraud.case.device'), t('fraud.holds.score')]}
        rows={file.signIns.map((s, i) => [
          <When key={i} at={s.at} />,
          <>
            <code>{s.ip ?? '—'}</code> ({country(s.country)})
          </>,
          <>
            <code>{s.deviceId ?? '—'}</code>
            {s.newDevice && <span className="badge warning-badge">{t('fraud.case.newDevice')}</span>}
          </>,
          s.score,
        ])}
      />
      <div className="case-grid">
        <div>
          <h5 id="case-devices">{t('fraud.case.devices')}</h5>
          <CaseTable
            labelledBy="case-devices"
            testId="case-devices"
            empty={file.devices.length === 0}
            head={[t('fraud.case.device'), t('fraud.case.count'), t('fraud.case.lastSeen')]}
            rows={file.devices.map((d) => [<code key="id">{d.deviceId}</code>, d.signIns, <When key="at" at={d.lastSeen} />])}
          />
        </div>
        <div>
          <h5 id="case-ips">{t('fraud.case.ips')}</h5>
          <CaseTable
            labelledBy="case-ips"
            testId="case-ips"
            empty={file.ips.length === 0}
            head={[t('fraud.case.ip'), t('fraud.case.count'), t('fraud.case.lastSeen')]}
            rows={file.ips.map((i) => [
              <>
                <code>{i.ip}</code> ({country(i.country)})
              </>,
              i.signIns,
              <When key="at" at={i.lastSeen} />,
            ])}
          />
        </div>
      </div>
      <h5 id="case-topups">{t('fraud.case.topups')}</h5>
      <CaseTable
        labelledBy="case-topups"
        testId="case-topups"
        empty={file.topups.length === 0}
        head={[t('fraud.case.at'), t('fraud.case.amount'), t('fraud.case.channel'), t('fraud.holds.status')]}
        rows={file.topups.map((tp) => [
          <When key="at" at={tp.at} />,
          formatYen(tp.amount),
          tp.channel ?? '—',
          tp.held ? t('fraud.case.topupHeld') : tp.settled ? t('fraud.case.topupSettled') : t('fraud.case.topupRequested'),
        ])}
      />
      <h5 id="case-payments">{t('fraud.case.payments')}</h5>
      <CaseTable
        labelledBy="case-payments"
        testId="case-payments"
        empty={file.payments.length === 0}
        head={[t('fraud.case.at'), t('fraud.case.amount'), t('fraud.case.store'), t('fraud.case.category')]}
        rows={file.payments.map((p) => [
          <When key="at" at={p.at} />,
          formatYen(p.amount),
          <code key="store">{p.storeId ?? '—'}</code>,
          p.category ?? '—',
        ])}
      />
    </div>
  );
}

function CaseTable({
  labelledBy,
  testId,
  head,
  rows,
  empty,
}: {
  labelledBy: string;
  testId: string;
  head: string[];
  rows: Array<Array<React.ReactNode>>;
  empty: boolean;
}) {
  const { t } = useLanguage();
  if (empty) return <p className="muted">{t('fraud.case.none')}</p>;
  return (
    <TableScroll labelledBy={labelledBy}>
      <table className="fraud-table" aria-labelledby={labelledBy} data-testid={testId}>
        <thead>
          <tr>
            {head.map((h) => (
              <th key={h} scope="col">
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((cells, i) => (
            <tr key={i}>
              {cells.map((cell, j) => (
                <td key={j}>{cell}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}
