import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { answer, client } from '../../api.js';
import { useAction } from '../../components/use-action.js';
import { type MessageKey, formatTime, sandboxTimeZone, useLanguage } from '../../i18n/index.js';
import { messages } from '../../i18n/messages.js';
import { useSession } from '../../session.js';
import type { Inputs } from './types.js';

/** The operator's client (the sandbox's secret key). */
export function useOperatorApi() {
  const { secretKey } = useSession();
  // One client per key: the loaders below depend on it, and a new one each render would load again each render.
  return useMemo(() => client({ token: secretKey }), [secretKey]);
}

/** The body of an answer the OpenAPI document does not describe yet, as the room reads it. */
export function read<T>(call: Promise<{ data?: unknown; error?: unknown; response: Response }>): Promise<T> {
  return answer(call) as Promise<T>;
}

/** A time in the sandbox's zone, in the page's language. */
export function When({ at }: { at: string }) {
  const { language } = useLanguage();
  const { sandbox } = useSession();
  return <time dateTime={at}>{formatTime(at, language, sandboxTimeZone(sandbox.clock.now))}</time>;
}

/** A rule's name in words, its id beside it. */
export function RuleName({ rule }: { rule: string }) {
  const { t } = useLanguage();
  const key = `fraud.rule.${rule}`;
  const name = key in messages ? t(key as MessageKey) : rule;
  return (
    <span className="rule-name">
      {name} <code>{rule}</code>
    </span>
  );
}

/** What a rule saw when it fired. */
export function InputsList({ inputs }: { inputs: Inputs }) {
  const entries = Object.entries(inputs);
  if (entries.length === 0) return <span className="muted">—</span>;
  return (
    <dl className="rule-inputs">
      {entries.map(([name, value]) => (
        <div key={name}>
          <dt>{name}</dt>
          <dd>
            <code>{typeof value === 'string' ? value : JSON.stringify(value)}</code>
          </dd>
        </div>
      ))}
    </dl>
  );
}

/** Loads with `fetch`, again every `everyMs` and on `reload()`; keeps the last answer while reloading. */
export function usePolled<T>(fetch: () => Promise<T>, everyMs: number) {
  const [value, setValue] = useState<T | null>(null);
  // An answer to an earlier question (a filter since changed) arriving late is dropped.
  const latest = useRef(fetch);
  useEffect(() => {
    latest.current = fetch;
  }, [fetch]);
  const load = useAction(
    useCallback(async () => {
      const answer = await fetch();
      if (latest.current === fetch) setValue(answer);
    }, [fetch]),
  );
  const { run } = load;
  useEffect(() => {
    void run();
    if (everyMs <= 0) return;
    const timer = setInterval(() => void run(), everyMs);
    return () => clearInterval(timer);
  }, [run, everyMs]);
  return { value, problem: load.problem, reload: run };
}
