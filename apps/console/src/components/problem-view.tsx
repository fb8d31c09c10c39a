import type { Problem } from '../api.js';
import { useLanguage } from '../i18n/index.js';

/** A refusal as the API worded it: its stable code and its detail, announced to screen readers. */
export function ProblemView({ problem }: { problem: Problem | null }) {
  const { t } = useLanguage();
  if (!problem) return null;
  return (
    <div className="problem" role="alert" data-code={problem.code}>
      <strong>{problem.status ? `${problem.status} ${problem.title}` : t('problem.network')}</strong>
      <div>
        {t('problem.code')}: <code>{problem.code}</code>
      </div>
      {problem.detail && <p>{problem.detail}</p>}
      {problem.errors && (
        <ul>
          {problem.errors.map((error) => (
            <li key={error.field}>
              <code>{error.field}</code>: {error.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
