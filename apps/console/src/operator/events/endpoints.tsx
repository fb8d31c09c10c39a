import { useCallback, useState } from 'react';
import type { Schemas } from '@wallet-sandbox/client';
import { answer, client } from '../../api.js';
import { ProblemView } from '../../components/problem-view.js';
import { useAction } from '../../components/use-action.js';
import { formatTime, sandboxTimeZone, useLanguage } from '../../i18n/index.js';
import { useSession } from '../../session.js';

export type Endpoint = Schemas['EndpointDto'];

/** A signing secret the API shows only once: at creation and at rotation. */
export interface ShownSecret {
  endpointId: string;
  url: string;
  secret: string;
  rotated: boolean;
}

export function SecretOnce({ shown, onDismiss }: { shown: ShownSecret; onDismiss: () => void }) {
  const { t } = useLanguage();
  return (
    <div className="notice secret-once" role="status" data-testid="secret-once">
      <p>
        {t(shown.rotated ? 'events.secret.rotated' : 'events.secret.created', { url: shown.url })}
        <br />
        <strong>{t('events.secret.once')}</strong>
      </p>
      <code data-testid="secret">{shown.secret}</code>
      <button type="button" className="secondary" onClick={onDismiss}>
        {t('events.secret.dismiss')}
      </button>
    </div>
  );
}

/** The sandbox's webhook endpoints: created, disabled, enabled, secrets rotated. */
export function Endpoints({ endpoints, reload }: { endpoints: Endpoint[]; reload: () => Promise<unknown> }) {
  const { t, language } = useLanguage();
  const { secretKey, sandbox } = useSession();
  const timeZone = sandboxTimeZone(sandbox.clock.now);
  const [url, setUrl] = useState('');
  const [types, setTypes] = useState('*');
  const [description, setDescription] = useState('');
  const [shown, setShown] = useState<ShownSecret | null>(null);

  const create = useAction(
    useCallback(async () => {
      const events = types
        .split(/[\s,]+/)
        .map((type) => type.trim())
        .filter(Boolean);
      const created = await answer(
        client({ token: secretKey }).POST('/v1/webhook-endpoints', {
          body: { url: url.trim(), events, ...(description.trim() ? { description: description.trim() } : {}) },
        }),
      );
      setShown({ endpointId: created.id, url: created.url, secret: created.secret, rotated: false });
      setUrl('');
      setDescription('');
      await reload();
    }, [secretKey, url, types, description, reload]),
  );

  const act = useAction(
    useCallback(
      async (endpoint: Endpoint, action: 'disable' | 'enable' | 'rotate') => {
        const api = client({ token: secretKey });
        const params = { params: { path: { id: endpoint.id } } };
        if (action === 'disable') await answer(api.POST('/v1/webhook-endpoints/{id}/disable', params));
        if (action === 'enable') await answer(api.POST('/v1/webhook-endpoints/{id}/enable', params));
        if (action === 'rotate') {
          const rotated = await answer(
            api.POST('/v1/webhook-endpoints/{id}/rotate-secret', { ...params, body: { overlapSeconds: 86_400 } }),
          );
          setShown({ endpointId: rotated.id, url: rotated.url, secret: rotated.secret, rotated: true });
        }
        await reload();
      },
      [secretKey, reload],
    ),
  );

  return (
    <section className="panel endpoints" aria-labelledby="endpoints-heading">
      <h3 id="endpoints-heading">{t('events.endpoints.heading')}</h3>
      <p className="muted">{t('events.endpoints.explain')}</p>
      <form
        className="endpoint-create"
        onSubmit={(e) => {
          e.preventDefault();
          void create.run();
        }}
      >
        <label>
          {t('events.endpoints.url')}
          <input type="url" required value={url} onChange={(e) => setUrl(e.target.value)} placeholder="https://example.com/wallet-hooks" />
        </label>
        <label>
          {t('events.endpoints.types')}
          <input value={types} onChange={(e) => setTypes(e.target.value)} aria-describedby="endpoint-types-hint" />
        </label>
        <label>
          {t('events.endpoints.description')}
          <input value={description} onChange={(e) => setDescription(e.target.value)} maxLength={200} />
        </label>
        <p id="endpoint-types-hint" className="hint">
          {t('events.endpoints.typesHint')}
        </p>
        <button type="submit" disabled={create.busy}>
          {t('events.endpoints.create')}
        </button>
      </form>
      <ProblemView problem={create.problem} />
      {shown && <SecretOnce shown={shown} onDismiss={() => setShown(null)} />}
      <ProblemView problem={act.problem} />
      {endpoints.length === 0 ? (
        <p>{t('events.endpoints.none')}</p>
      ) : (
        <ul className="endpoint-list">
          {endpoints.map((endpoint) => (
            <li key={endpoint.id} className="endpoint" data-testid="endpoint" data-status={endpoint.status}>
              <div className="endpoint-head">
                <code className="url">{endpoint.url}</code>
                <span className={`status ${endpoint.status === 'enabled' ? 'succeeded' : 'failed'}`}>
                  {t(`events.endpoints.${endpoint.status}`)}
                  {endpoint.disabledReason && ` (${t(`events.endpoints.reason.${endpoint.disabledReason}`)})`}
                </span>
              </div>
              {endpoint.description && <p className="muted">{endpoint.description}</p>}
              <p className="muted">
                {t('events.endpoints.takes')} {endpoint.events.join(', ')}
                {endpoint.failingSince && (
                  <> · {t('events.endpoints.failingSince', { time: formatTime(endpoint.failingSince, language, timeZone) })}</>
                )}
                {endpoint.previousSecretExpiresAt && (
                  <> · {t('events.endpoints.overlap', { time: formatTime(endpoint.previousSecretExpiresAt, language, timeZone) })}</>
                )}
              </p>
              <div className="actions">
                {endpoint.status === 'enabled' ? (
                  <button type="button" className="secondary" disabled={act.busy} onClick={() => void act.run(endpoint, 'disable')}>
                    {t('events.endpoints.disable')}
                  </button>
                ) : (
                  <button type="button" className="secondary" disabled={act.busy} onClick={() => void act.run(endpoint, 'enable')}>
                    {t('events.endpoints.enable')}
                  </button>
                )}
                <button type="button" className="secondary" disabled={act.busy} onClick={() => void act.run(endpoint, 'rotate')}>
                  {t('events.endpoints.rotate')}
                </button>
              </div>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
