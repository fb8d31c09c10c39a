import { useState } from 'react';
import { type MessageKey, useLanguage } from '../../i18n/index.js';
import { ClaimDetail } from './claim-detail.js';
import { ClaimsList } from './claims-list.js';
import { PayoutRunsView } from './payout-runs.js';
import { RefundReportView } from './refund-report.js';
import { UnclaimedList } from './unclaimed-list.js';

type Tab = 'claims' | 'runs' | 'unclaimed' | 'report';
const TABS: Array<[Tab, MessageKey]> = [
  ['claims', 'refunds.tab.claims'],
  ['runs', 'refunds.tab.runs'],
  ['unclaimed', 'refunds.tab.unclaimed'],
  ['report', 'refunds.tab.report'],
];

/** Claims, payout runs, the unclaimed list and the refund report. */
export default function RefundRoom() {
  const { t } = useLanguage();
  const [tab, setTab] = useState<Tab>('claims');
  const [openClaim, setOpenClaim] = useState<string | null>(null);
  // Bumped by every change made to a claim: the list and its counts read again.
  const [changes, setChanges] = useState(0);
  return (
    <section className="panel operator-room refund-room" aria-labelledby="room-heading">
      <h2 id="room-heading">{t('operator.room.refunds')}</h2>
      <p className="muted">{t('refunds.explain')}</p>
      <nav className="wallet-tabs refund-tabs" aria-label={t('refunds.tabs')}>
        {TABS.map(([id, label]) => (
          <button key={id} type="button" className="tab" aria-pressed={tab === id} onClick={() => setTab(id)}>
            {t(label)}
          </button>
        ))}
      </nav>
      {tab === 'claims' && (
        <>
          <ClaimsList openId={openClaim} onOpen={setOpenClaim} changes={changes} />
          {openClaim && (
            <ClaimDetail
              key={openClaim}
              claimId={openClaim}
              onClose={() => setOpenClaim(null)}
              onChanged={() => setChanges((n) => n + 1)}
            />
          )}
        </>
      )}
      {tab === 'runs' && <PayoutRunsView />}
      {tab === 'unclaimed' && <UnclaimedList />}
      {tab === 'report' && <RefundReportView />}
    </section>
  );
}
