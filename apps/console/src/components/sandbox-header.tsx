import { useState } from 'react';
import { answer, client } from '../api.js';
import { type Language, LANGUAGES, formatTime, sandboxTimeZone, useLanguage } from '../i18n/index.js';
import type { MessageKey } from '../i18n/index.js';
import { useSession } from '../session.js';
import { ProblemView } from './problem-view.js';
import { useAction } from './use-action.js';

const UNITS: Array<[MessageKey, number]> = [
  ['header.unit.minutes', 60],
  ['header.unit.hours', 60 * 60],
  ['header.unit.days', 24 * 60 * 60],
];

const STEPS: Array<[MessageKey, number]> = [
  ['header.advance5m', 5 * 60],
  ['header.advance1h', 60 * 60],
  ['header.advance1d', 24 * 60 * 60],
];

/** Which sandbox this is, how it is secured, what time it is there and what phase its service is in. */
export function SandboxHeader() {
  const { t, language } = useLanguage();
  const session = useSession();
  const { sandbox, service } = session;
  const [count, setCount] = useState('');
  const [unit, setUnit] = useState(String(UNITS[1][1]));
  const advance = useAction(async (by: number) => {
    await answer(client({ token: session.secretKey }).POST('/v1/sandbox/clock/advance', { body: { seconds: by } }));
    await session.refresh();
  });
  const legacy = sandbox.securityProfile === 'legacy-2019';
  return (
    <header className={`sandbox-header${legacy ? ' legacy' : ''}`}>
      <div className="sandbox-name">
        <h1>{sandbox.name}</h1>
        <span className={`badge profile ${sandbox.securityProfile}`} title={t('header.profile')} data-testid="profile">
          {sandbox.securityProfile}
        </span>
        {legacy && (
          <strong className="legacy-warning" role="note">
            ⚠ {t('header.legacyWarning')}
          </strong>
        )}
      </div>
      <dl className="sandbox-facts">
        <div>
          <dt>{t('header.clock')}</dt>
          <dd data-testid="clock">
            <time dateTime={sandbox.clock.now}>{formatTime(sandbox.clock.now, language, sandboxTimeZone(sandbox.clock.now))}</time>
          </dd>
        </div>
        <div>
          <dt>{t('header.phase')}</dt>
          <dd data-testid="phase">{service ? t(`phase.${service.phase}` as MessageKey) : '…'}</dd>
        </div>
      </dl>
      <form
        className="clock-controls"
        aria-label={t('header.advance')}
        onSubmit={(event) => {
          event.preventDefault();
          const by = Number(count) * Number(unit);
          if (Number.isInteger(by) && by > 0) void advance.run(by);
        }}
      >
        {STEPS.map(([label, by]) => (
          <button key={label} type="button" disabled={advance.busy} onClick={() => void advance.run(by)}>
            {t(label)}
          </button>
        ))}
        <details className="clock-more">
          <summary>{t('header.advanceOther')}</summary>
          <div className="clock-more-fields">
            <label>
              {t('header.advanceBy')}
              <input type="number" min={1} step={1} inputMode="numeric" value={count} onChange={(e) => setCount(e.target.value)} />
            </label>
            <label>
              {t('header.unit')}
              <select value={unit} onChange={(e) => setUnit(e.target.value)}>
                {UNITS.map(([label, seconds]) => (
                  <option key={label} value={seconds}>
                    {t(label)}
                  </option>
                ))}
              </select>
            </label>
            <button type="submit" disabled={advance.busy}>
              {t('header.advanceSubmit')}
            </button>
          </div>
        </details>
      </form>
      <ProblemView problem={advance.problem} />
    </header>
  );
}

export function LanguageSwitch() {
  const { language, setLanguage, t } = useLanguage();
  return (
    <label className="language-switch">
      {t('language.label')}
      <select value={language} onChange={(event) => setLanguage(event.target.value as Language)}>
        {LANGUAGES.map((code) => (
          <option key={code} value={code}>
            {code === 'en' ? 'English' : '日本語'}
          </option>
        ))}
      </select>
    </label>
  );
}
