import { useState } from 'react';
import { type MessageKey, useLanguage } from '../../i18n/index.js';
import { AlertsView } from './alerts-view.js';
import { DamageReportView } from './damage-report.js';
import { HoldsQueue } from './holds-queue.js';
import { PlaceHold } from './place-hold.js';
import { RulesForm } from './rules-form.js';

type Tab = 'holds' | 'alerts' | 'rules' | 'damage';
const TABS: Array<[Tab, MessageKey]> = [
  ['holds', 'fraud.tab.holds'],
  ['alerts', 'fraud.tab.alerts'],
  ['rules', 'fraud.tab.rules'],
  ['damage', 'fraud.tab.damage'],
];

/** Holds, alerts, rules and the damage report. */
export default function FraudRoom() {
  const { t } = useLanguage();
  const [tab, setTab] = useState<Tab>('holds');
  const [openHold, setOpenHold] = useState<string | null>(null);
  const open = (id: string | null) => {
    setOpenHold(id);
    setTab('holds');
  };
  return (
    <section className="panel operator-room fraud-room" aria-labelledby="room-heading">
      <h2 id="room-heading">{t('operator.room.fraud')}</h2>
      <p className="muted">{t('fraud.explain')}</p>
      <nav className="wallet-tabs fraud-tabs" aria-label={t('fraud.tabs')}>
        {TABS.map(([id, label]) => (
          <button key={id} type="button" className="tab" aria-pressed={tab === id} onClick={() => setTab(id)}>
            {t(label)}
          </button>
        ))}
      </nav>
      {tab === 'holds' && (
        <>
          <HoldsQueue openId={openHold} onOpen={open} />
          <PlaceHold onPlaced={(hold) => open(hold.id)} onOpen={open} />
        </>
      )}
      {tab === 'alerts' && <AlertsView />}
      {tab === 'rules' && <RulesForm />}
      {tab === 'damage' && <DamageReportView />}
    </section>
  );
}
