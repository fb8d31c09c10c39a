import { type FormEvent, useCallback, useEffect, useRef, useState } from 'react';
import { type Problem, answer } from '../../api.js';
import { ProblemView } from '../../components/problem-view.js';
import { useAction } from '../../components/use-action.js';
import { type MessageKey, formatYen, useLanguage } from '../../i18n/index.js';
import { When, useOperatorApi, usePolled } from '../fraud/shared.js';
import { ClaimStatusBadge } from './claims-list.js';
import type { RefundClaim } from './types.js';

/** One claim: its wallet, money, account and history, and what the operator may do with it. */
export function ClaimDetail({ claimId, onClose, onChanged }: { claimId: string; onClose: () => void; onChanged: () => void }) {
  const { t } = useLanguage();
  const api = useOperatorApi();
  const loaded = usePolled(
    useCallback(() => answer(api.GET('/v1/refund-claims/{id}', { params: { path: { id: claimId } } })), [api, claimId]),
    3000,
  );
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  const claim = loaded.value;
  const changed = () => {
    void loaded.reload();
    onChanged();
  };
  return (
    <section className="refund-section claim-detail" aria-labelledby="claim-heading" data-testid="claim-detail">
      <div className="section-head">
        <h3 id="claim-heading" ref={heading} tabIndex={-1}>
          {t('refunds.claim.heading', { id: claimId })}
        </h3>
        <button type="button" className="secondary" onClick={onClose}>
          {t('common.close')}
        </button>
      </div>
      <ProblemView problem={loaded.problem} />
      {claim && (
        <>
          <dl className="fraud-facts">
            <Fact label="refunds.claim.status">
              <ClaimStatusBadge status={claim.status} />
            </Fact>
            <Fact label="refunds.claim.wallet">
              <code>{claim.walletId}</code>
            </Fact>
            <Fact label="refunds.claim.amount">
              {formatYen(claim.amount)}
              {claim.paidAmount > 0 && <> ({t('refunds.claim.paidSoFar', { amount: formatYen(claim.paidAmount) })})</>}
            </Fact>
            <Fact label="refunds.claim.method">{t(`refunds.method.${claim.method}` as MessageKey)}</Fact>
            {claim.bankAccount && (
              <Fact label="refunds.claim.account">
                <span data-testid="masked-account">
                  {t('refunds.claim.accountMasked', {
                    bank: claim.bankAccount.bankCode,
                    branch: claim.bankAccount.branchCode,
                    last4: claim.bankAccount.accountNumberLast4,
                  })}
                </span>
                <br />
                {claim.bankAccount.holder}
              </Fact>
            )}
            {claim.slipNumber && (
              <Fact label="refunds.claim.slip">
                <code>{claim.slipNumber}</code>
              </Fact>
            )}
          </dl>
          <h4>{t('refunds.claim.history')}</h4>
          <ol className="audit-trail" data-testid="claim-history">
            <li>
              <When at={claim.createdAt} /> — {t('refunds.history.filed', { by: claim.filedBy, amount: formatYen(claim.amount) })}
            </li>
            {claim.failureCode && (
              <li>
                {claim.status === 'bounced' && (
                  <>
                    <When at={claim.updatedAt} /> —{' '}
                  </>
                )}
                {t('refunds.history.bounced', { code: claim.failureCode })}
              </li>
            )}
            {claim.paidAt && (
              <li>
                <When at={claim.paidAt} /> — {t('refunds.history.paid', { amount: formatYen(claim.paidAmount) })}
              </li>
            )}
            {claim.status !== 'bounced' && claim.updatedAt !== claim.createdAt && claim.updatedAt !== claim.paidAt && (
              <li>
                <When at={claim.updatedAt} /> — {t('refunds.history.changed', { status: t(`home.claim.${claim.status}` as MessageKey) })}
              </li>
            )}
          </ol>
          <HoldOrRelease claim={claim} onChanged={changed} />
          {claim.method === 'bank_transfer' && claim.status !== 'paid' && <CorrectAccount claim={claim} onChanged={changed} />}
        </>
      )}
    </section>
  );
}

function Fact({ label, children }: { label: MessageKey; children: React.ReactNode }) {
  const { t } = useLanguage();
  return (
    <div>
      <dt>{t(label)}</dt>
      <dd>{children}</dd>
    </div>
  );
}

/** Hold a claim that waits (or bounced) with a reason; release a held one. */
function HoldOrRelease({ claim, onChanged }: { claim: RefundClaim; onChanged: () => void }) {
  const { t } = useLanguage();
  const api = useOperatorApi();
  const [reason, setReason] = useState('');
  const releasing = claim.status === 'on_hold';
  const act = useAction(
    useCallback(async () => {
      const params = { params: { path: { id: claim.id } }, body: (reason.trim() ? { reason: reason.trim() } : {}) as never };
      await answer(releasing ? api.POST('/v1/refund-claims/{id}/release', params) : api.POST('/v1/refund-claims/{id}/hold', params));
      setReason('');
      onChanged();
    }, [api, claim.id, reason, releasing, onChanged]),
  );
  if (claim.status === 'paid') return null;
  return (
    <form
      className="refund-form"
      aria-labelledby="hold-heading"
      onSubmit={(event) => {
        event.preventDefault();
        void act.run();
      }}
    >
      <h4 id="hold-heading">{t(releasing ? 'refunds.release.heading' : 'refunds.hold.heading')}</h4>
      <p className="muted">{t(releasing ? 'refunds.release.explain' : 'refunds.hold.explain')}</p>
      <label>
        {t('refunds.hold.reason')}
        <input value={reason} onChange={(event) => setReason(event.target.value)} maxLength={500} />
      </label>
      <button type="submit" className={releasing ? undefined : 'secondary'} disabled={act.busy}>
        {t(releasing ? 'refunds.release.do' : 'refunds.hold.do')}
      </button>
      <ProblemView problem={act.problem} />
    </form>
  );
}

const FIELDS = [
  ['bankCode', 'refunds.account.bankCode', 4],
  ['branchCode', 'refunds.account.branchCode', 3],
  ['accountNumber', 'refunds.account.number', 7],
  ['holder', 'refunds.account.holder', 48],
] as const;
type Field = (typeof FIELDS)[number][0];

/** The field's refusal in a problem+json's errors, if any. */
const fieldError = (problem: Problem | null, field: Field) =>
  problem?.errors?.find((e) => e.field === `bankAccount.${field}` || e.field === field)?.message;

/** The operator corrects the account on the customer's word; the API checks it and says what is wrong. */
function CorrectAccount({ claim, onChanged }: { claim: RefundClaim; onChanged: () => void }) {
  const { t } = useLanguage();
  const api = useOperatorApi();
  const [account, setAccount] = useState<Record<Field, string>>({
    bankCode: claim.bankAccount?.bankCode ?? '',
    branchCode: claim.bankAccount?.branchCode ?? '',
    accountNumber: '',
    holder: claim.bankAccount?.holder ?? '',
  });
  const [done, setDone] = useState(false);
  const correct = useAction(
    useCallback(async () => {
      setDone(false);
      await answer(api.POST('/v1/refund-claims/{id}/bank-account', { params: { path: { id: claim.id } }, body: { bankAccount: account } }));
      setDone(true);
      onChanged();
    }, [api, claim.id, account, onChanged]),
  );
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void correct.run();
  };
  return (
    <form className="refund-form account-form" aria-labelledby="correct-heading" onSubmit={submit} noValidate>
      <h4 id="correct-heading">{t('refunds.correct.heading')}</h4>
      <p className="muted">{t(claim.status === 'bounced' ? 'refunds.correct.explainBounced' : 'refunds.correct.explain')}</p>
      {FIELDS.map(([field, label, size]) => {
        const error = fieldError(correct.problem, field);
        return (
          <label key={field}>
            {t(label)}
            <input
              name={field}
              value={account[field]}
              size={Math.min(size, 24)}
              inputMode={field === 'holder' ? undefined : 'numeric'}
              aria-invalid={error ? true : undefined}
              aria-describedby={error ? `correct-${field}-error` : undefined}
              onChange={(event) => setAccount((a) => ({ ...a, [field]: event.target.value }))}
            />
            {error && (
              <span className="field-error" id={`correct-${field}-error`}>
                {error}
              </span>
            )}
          </label>
        );
      })}
      <button type="submit" disabled={correct.busy}>
        {t('refunds.correct.do')}
      </button>
      {done && (
        <p role="status" className="notice">
          {t('refunds.correct.done')}
        </p>
      )}
      <ProblemView problem={correct.problem} />
    </form>
  );
}
