import { useCallback, useEffect, useState } from 'react';
import { answer } from '../../api.js';
import { ProblemView } from '../../components/problem-view.js';
import { useAction } from '../../components/use-action.js';
import { formatTime, formatYen, sandboxTimeZone, useLanguage } from '../../i18n/index.js';
import { useSession } from '../../session.js';
import { useWallet } from '../wallet-session.js';
import { type ServiceState, keyed, readService, useWalletBalance, walletChanged } from './money-api.js';
import { BankAccountFields, type BankFields, SAMPLE_BANK } from './top-up-funding.js';

interface RefundClaim {
  id: string;
  method: 'bank_transfer' | 'postal_payout';
  bankAccount: { bankCode: string; branchCode: string; accountNumberLast4: string; holder: string } | null;
  status: 'submitted' | 'on_hold' | 'bounced' | 'paid';
  failureCode: string | null;
  amount: number;
  paidAmount: number;
  slipNumber: string | null;
  createdAt: string;
  paidAt: string | null;
}

/** After termination: the refund claim and its status; before, when claims open. */
export function RefundClaimView() {
  const { t } = useLanguage();
  const wallet = useWallet();
  const session = useSession();
  const { view } = useWalletBalance(wallet);
  const [service, setService] = useState<ServiceState | null>(null);
  const [claim, setClaim] = useState<RefundClaim | null | undefined>(undefined);

  const read = useCallback(async () => {
    const [state, claims] = await Promise.all([readService(wallet), answer(wallet.api().GET('/v1/refund-claims'))]);
    setService(state);
    setClaim(((claims as unknown as { data: RefundClaim[] }).data[0] as RefundClaim | undefined) ?? null);
  }, [wallet]);
  const refresh = useAction(read);
  const { phase } = session.service ?? {};
  useEffect(() => {
    void refresh.run();
    // The header's phase changes when the operator moves the service on: read again then.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [phase]);

  return (
    <div className="money-screen">
      <h3>{t('money.refund.heading')}</h3>
      <ProblemView problem={refresh.problem} />
      {service && claim === null && !service.capabilities.refundClaims && <NotYet service={service} />}
      {service && claim === null && service.capabilities.refundClaims && (
        <ClaimForm balance={view?.available ?? null} onFiled={(filed) => (setClaim(filed), walletChanged(wallet.slot))} />
      )}
      {claim && <ClaimStatus claim={claim} onChanged={setClaim} />}
      <div className="actions">
        <button type="button" className="secondary" onClick={() => void refresh.run()} disabled={refresh.busy}>
          {t('money.refresh')}
        </button>
      </div>
    </div>
  );
}

function NotYet({ service }: { service: ServiceState }) {
  const { t, language } = useLanguage();
  const { sandbox } = useSession();
  const at = (iso: string) => formatTime(iso, language, sandboxTimeZone(sandbox.clock.now));
  const notice = service.notice;
  return (
    <div className="notice" data-testid="refund-not-open">
      {!notice && <p>{t('money.refund.noNotice')}</p>}
      {notice && service.phase !== 'closed' && (
        <>
          <p>
            <strong>{notice.title}</strong>
          </p>
          <p>{t('money.refund.serviceEnds', { time: at(notice.terminationAt) })}</p>
          <p>{t('money.refund.opensAt', { from: at(notice.refundClaimsFrom), until: at(notice.refundClaimsUntil) })}</p>
        </>
      )}
      {notice && service.phase === 'closed' && <p>{t('money.refund.closed', { until: at(notice.refundClaimsUntil) })}</p>}
    </div>
  );
}

function ClaimForm({ balance, onFiled }: { balance: number | null; onFiled: (claim: RefundClaim) => void }) {
  const { t } = useLanguage();
  const wallet = useWallet();
  const [method, setMethod] = useState<RefundClaim['method']>('bank_transfer');
  const [bank, setBank] = useState<BankFields>(SAMPLE_BANK);
  const [email, setEmail] = useState('');
  const [phone, setPhone] = useState('');
  useEffect(() => {
    answer(wallet.api().GET('/v1/account')).then(
      (profile) => {
        const { email: registeredEmail, phone: registeredPhone } = profile as unknown as { email: string; phone: string };
        setEmail(registeredEmail);
        setPhone(registeredPhone);
      },
      () => undefined,
    );
  }, [wallet]);
  const file = useAction(async () => {
    const body = { method, email, phone, ...(method === 'bank_transfer' ? { bankAccount: bank } : {}) };
    const claim = await wallet.withStepUp(() => answer(wallet.api().POST('/v1/refund-claims', { body, ...keyed() })));
    onFiled(claim as unknown as RefundClaim);
  });
  return (
    <form
      className="stack"
      aria-labelledby={`claim-${wallet.slot}`}
      onSubmit={(event) => {
        event.preventDefault();
        void file.run();
      }}
    >
      <h4 id={`claim-${wallet.slot}`}>{t('money.refund.formHeading')}</h4>
      <p>{t('money.refund.amount', { amount: balance === null ? '…' : formatYen(balance) })}</p>
      <fieldset>
        <legend>{t('money.refund.method')}</legend>
        <label className="choice">
          <input
            type="radio"
            name={`method-${wallet.slot}`}
            checked={method === 'bank_transfer'}
            onChange={() => setMethod('bank_transfer')}
          />
          <span>{t('money.refund.bank_transfer')}</span>
        </label>
        <label className="choice">
          <input
            type="radio"
            name={`method-${wallet.slot}`}
            checked={method === 'postal_payout'}
            onChange={() => setMethod('postal_payout')}
          />
          <span>
            {t('money.refund.postal_payout')}
            <span className="choice-detail"> {t('money.refund.postalExplain')}</span>
          </span>
        </label>
      </fieldset>
      {method === 'bank_transfer' && (
        <fieldset>
          <legend>{t('money.refund.bankAccount')}</legend>
          <BankAccountFields value={bank} onChange={setBank} />
          <p className="hint">{t('money.refund.bounceHint')}</p>
        </fieldset>
      )}
      <fieldset>
        <legend>{t('money.refund.identity')}</legend>
        <label>
          {t('money.refund.email')}
          <input type="email" autoComplete="email" required value={email} onChange={(event) => setEmail(event.target.value)} />
        </label>
        <label>
          {t('money.refund.phone')}
          <input type="tel" autoComplete="tel" required value={phone} onChange={(event) => setPhone(event.target.value)} />
        </label>
      </fieldset>
      <div className="actions">
        <button type="submit" disabled={file.busy}>
          {t('money.refund.submit')}
        </button>
      </div>
      <ProblemView problem={file.problem} />
    </form>
  );
}

function ClaimStatus({ claim, onChanged }: { claim: RefundClaim; onChanged: (claim: RefundClaim) => void }) {
  const { t, language } = useLanguage();
  const { sandbox } = useSession();
  const at = (iso: string) => formatTime(iso, language, sandboxTimeZone(sandbox.clock.now));
  return (
    <section className="claim" data-testid="claim" data-status={claim.status}>
      <h4>{t('money.refund.claimHeading')}</h4>
      <p>
        <strong className={`status ${claim.status}`}>{t(`money.claim.status.${claim.status}`)}</strong>
      </p>
      <dl className="facts">
        <dt>{t('money.amount')}</dt>
        <dd data-testid="claim-amount">{formatYen(claim.amount)}</dd>
        <dt>{t('money.refund.paid')}</dt>
        <dd>{formatYen(claim.paidAmount)}</dd>
        <dt>{t('money.refund.method')}</dt>
        <dd>
          {t(`money.refund.${claim.method}`)}
          {claim.bankAccount && (
            <span className="choice-detail">
              {' '}
              {claim.bankAccount.bankCode}-{claim.bankAccount.branchCode} •••{claim.bankAccount.accountNumberLast4}
            </span>
          )}
        </dd>
        {claim.slipNumber && (
          <>
            <dt>{t('money.refund.slip')}</dt>
            <dd>
              <code>{claim.slipNumber}</code>
            </dd>
          </>
        )}
        <dt>{t('money.refund.filedAt')}</dt>
        <dd>{at(claim.createdAt)}</dd>
        {claim.paidAt && (
          <>
            <dt>{t('money.refund.paidAt')}</dt>
            <dd>{at(claim.paidAt)}</dd>
          </>
        )}
      </dl>
      {claim.status === 'bounced' && <CorrectBankAccount claim={claim} onChanged={onChanged} />}
    </section>
  );
}

function CorrectBankAccount({ claim, onChanged }: { claim: RefundClaim; onChanged: (claim: RefundClaim) => void }) {
  const { t } = useLanguage();
  const wallet = useWallet();
  const [bank, setBank] = useState<BankFields>({ ...SAMPLE_BANK, holder: claim.bankAccount?.holder ?? SAMPLE_BANK.holder });
  const correct = useAction(async () => {
    const next = await wallet.withStepUp(() =>
      answer(
        wallet
          .api()
          .POST('/v1/refund-claims/{id}/bank-account', { params: { path: { id: claim.id } }, body: { bankAccount: bank }, ...keyed() }),
      ),
    );
    onChanged(next as unknown as RefundClaim);
  });
  return (
    <form
      className="stack"
      onSubmit={(event) => {
        event.preventDefault();
        void correct.run();
      }}
    >
      <div className="problem" role="alert" data-code={claim.failureCode ?? 'bounced'}>
        {t('money.refund.bounced')} <code>{claim.failureCode}</code>
      </div>
      <BankAccountFields value={bank} onChange={setBank} />
      <div className="actions">
        <button type="submit" disabled={correct.busy}>
          {t('money.refund.correct')}
        </button>
      </div>
      <ProblemView problem={correct.problem} />
    </form>
  );
}
