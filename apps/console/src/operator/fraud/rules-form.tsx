import { type FormEvent, useCallback, useState } from 'react';
import { ProblemView } from '../../components/problem-view.js';
import { useAction } from '../../components/use-action.js';
import { type MessageKey, useLanguage } from '../../i18n/index.js';
import { RuleName, read, useOperatorApi, usePolled } from './shared.js';
import { type FraudSettings, RULE_ACTIONS, type RuleAction } from './types.js';

/** What each rule's threshold counts, for its label. */
const THRESHOLD_UNIT: Record<string, 'count' | 'yen' | 'percent' | 'kmh'> = {
  'topup.amount_minute': 'yen',
  'topup.amount_hour': 'yen',
  'topup.amount_day': 'yen',
  'topup.new_card_max': 'yen',
  'payment.drain_after_topup': 'percent',
  'payment.impossible_travel': 'kmh',
};

/** A form's fields are text: numbers are read back when saving. */
interface RuleDraft {
  enabled: boolean;
  score: string;
  action: RuleAction;
  threshold?: string;
  windowMinutes?: string;
}
interface Draft {
  rules: Record<string, RuleDraft>;
  thresholds: { stepUp: string; review: string; block: string };
  holdExpiryHours: string;
  sessionRiskMinutes: string;
}

function draftOf(settings: FraudSettings): Draft {
  const text = (n: number | undefined) => (n === undefined ? undefined : String(n));
  return {
    rules: Object.fromEntries(
      Object.entries(settings.rules).map(([id, r]) => [
        id,
        {
          enabled: r.enabled,
          score: String(r.score),
          action: r.action,
          threshold: text(r.threshold),
          windowMinutes: text(r.windowMinutes),
        },
      ]),
    ),
    thresholds: {
      stepUp: String(settings.thresholds.stepUp),
      review: String(settings.thresholds.review),
      block: String(settings.thresholds.block),
    },
    holdExpiryHours: String(settings.holdExpiryHours),
    sessionRiskMinutes: String(settings.sessionRiskMinutes),
  };
}

/** What is sent: the API checks the numbers and refuses what is wrong, field by field. */
function bodyOf(draft: Draft) {
  const number = (text: string) => (text.trim() === '' ? Number.NaN : Number(text));
  const optional = (text: string | undefined) => (text === undefined ? {} : { value: number(text) });
  return {
    rules: Object.fromEntries(
      Object.entries(draft.rules).map(([id, r]) => {
        const threshold = optional(r.threshold);
        const windowMinutes = optional(r.windowMinutes);
        return [
          id,
          {
            enabled: r.enabled,
            score: number(r.score),
            action: r.action,
            ...('value' in threshold ? { threshold: threshold.value } : {}),
            ...('value' in windowMinutes ? { windowMinutes: windowMinutes.value } : {}),
          },
        ];
      }),
    ),
    thresholds: { stepUp: number(draft.thresholds.stepUp), review: number(draft.thresholds.review), block: number(draft.thresholds.block) },
    holdExpiryHours: number(draft.holdExpiryHours),
    sessionRiskMinutes: number(draft.sessionRiskMinutes),
  };
}

/** The sandbox's rules and thresholds as a form, saved through the fraud settings API. */
export function RulesForm() {
  const { t } = useLanguage();
  const api = useOperatorApi();
  const fetchSettings = useCallback(() => read<FraudSettings>(api.GET('/v1/fraud/settings')), [api]);
  const settings = usePolled(fetchSettings, 0);
  const [saved, setSaved] = useState(false);
  return (
    <section className="fraud-section" aria-labelledby="rules-heading">
      <h3 id="rules-heading">{t('fraud.rules.heading')}</h3>
      <p className="muted">{t('fraud.rules.explain')}</p>
      <ProblemView problem={settings.problem} />
      {settings.value && (
        <SettingsForm
          // What the API kept, read back after each save, starts the form afresh.
          key={JSON.stringify(settings.value)}
          settings={settings.value}
          saved={saved}
          onChange={() => setSaved(false)}
          onSaved={async () => {
            await settings.reload();
            setSaved(true);
          }}
        />
      )}
    </section>
  );
}

function SettingsForm({
  settings,
  saved,
  onChange,
  onSaved,
}: {
  settings: FraudSettings;
  saved: boolean;
  onChange: () => void;
  onSaved: () => Promise<void>;
}) {
  const { t } = useLanguage();
  const api = useOperatorApi();
  const [draft, setDraft] = useState<Draft>(() => draftOf(settings));
  const save = useAction(
    useCallback(async () => {
      // An empty field is sent as null: the API refuses it with the field's name.
      await read<FraudSettings>(api.POST('/v1/fraud/settings', { body: bodyOf(draft) as never }));
      await onSaved();
    }, [api, draft, onSaved]),
  );
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onChange();
    void save.run();
  };
  const setRule = (id: string, patch: Partial<RuleDraft>) => {
    onChange();
    setDraft((d) => ({ ...d, rules: { ...d.rules, [id]: { ...d.rules[id], ...patch } } }));
  };
  const setTop = (patch: Partial<Omit<Draft, 'rules'>>) => {
    onChange();
    setDraft((d) => ({ ...d, ...patch }));
  };
  return (
    <form onSubmit={submit} className="rules-form" data-testid="rules-form">
      <fieldset className="thresholds">
        <legend>{t('fraud.rules.thresholds')}</legend>
        {(['stepUp', 'review', 'block'] as const).map((name) => (
          <label key={name}>
            {t(`fraud.rules.threshold.${name}` as MessageKey)}
            <input
              type="number"
              inputMode="numeric"
              name={`thresholds.${name}`}
              value={draft.thresholds[name]}
              onChange={(event) => setTop({ thresholds: { ...draft.thresholds, [name]: event.target.value } })}
            />
          </label>
        ))}
        <label>
          {t('fraud.rules.holdExpiryHours')}
          <input
            type="number"
            inputMode="numeric"
            name="holdExpiryHours"
            value={draft.holdExpiryHours}
            onChange={(event) => setTop({ holdExpiryHours: event.target.value })}
          />
        </label>
        <label>
          {t('fraud.rules.sessionRiskMinutes')}
          <input
            type="number"
            inputMode="numeric"
            name="sessionRiskMinutes"
            value={draft.sessionRiskMinutes}
            onChange={(event) => setTop({ sessionRiskMinutes: event.target.value })}
          />
        </label>
      </fieldset>
      <div className="rule-grid">
        {Object.entries(draft.rules).map(([id, rule]) => (
          <fieldset key={id} className="rule-setting" data-rule={id}>
            <legend>
              <RuleName rule={id} />
            </legend>
            <label className="checkbox">
              <input type="checkbox" checked={rule.enabled} onChange={(event) => setRule(id, { enabled: event.target.checked })} />
              {t('fraud.rules.enabled')}
            </label>
            <label>
              {t('fraud.rules.score')}
              <input
                type="number"
                inputMode="numeric"
                name={`${id}.score`}
                value={rule.score}
                onChange={(event) => setRule(id, { score: event.target.value })}
              />
            </label>
            {rule.threshold !== undefined && (
              <label>
                {t(`fraud.rules.threshold.unit.${THRESHOLD_UNIT[id] ?? 'count'}` as MessageKey)}
                <input
                  type="number"
                  inputMode="numeric"
                  name={`${id}.threshold`}
                  value={rule.threshold}
                  onChange={(event) => setRule(id, { threshold: event.target.value })}
                />
              </label>
            )}
            {rule.windowMinutes !== undefined && (
              <label>
                {t('fraud.rules.window')}
                <input
                  type="number"
                  inputMode="numeric"
                  name={`${id}.windowMinutes`}
                  value={rule.windowMinutes}
                  onChange={(event) => setRule(id, { windowMinutes: event.target.value })}
                />
              </label>
            )}
            <label>
              {t('fraud.rules.action')}
              <select
                name={`${id}.action`}
                value={rule.action}
                onChange={(event) => setRule(id, { action: event.target.value as RuleAction })}
              >
                {RULE_ACTIONS.map((action) => (
                  <option key={action} value={action}>
                    {t(`fraud.action.${action}` as MessageKey)}
                  </option>
                ))}
              </select>
            </label>
          </fieldset>
        ))}
      </div>
      <div className="actions sticky-actions">
        <button type="submit" disabled={save.busy}>
          {t('fraud.rules.save')}
        </button>
        <button type="button" className="secondary" onClick={() => setDraft(draftOf(settings))}>
          {t('fraud.rules.reset')}
        </button>
        {saved && (
          <span role="status" className="outcome ok" data-testid="rules-saved">
            {t('fraud.rules.saved')}
          </span>
        )}
      </div>
      <ProblemView problem={save.problem} />
    </form>
  );
}
