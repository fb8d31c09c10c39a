import { useCallback, useEffect, useState } from 'react';
import { answer, client, idempotencyKey } from '../api.js';
import { ProblemView } from '../components/problem-view.js';
import { useAction } from '../components/use-action.js';
import { useLanguage } from '../i18n/index.js';
import { useSession } from '../session.js';
import { useOpenRegister } from './register-session.js';
import type { CreatedStore, Store, Terminal } from './types.js';

/**
 * Before the register takes money it belongs to a store: one of the
 * sandbox's, or a new one. The register gets a terminal of its own and a
 * store key (which the API shows once); this tab keeps both.
 */
export function StoreSetup() {
  const { t } = useLanguage();
  const { secretKey } = useSession();
  const opened = useOpenRegister();
  const [stores, setStores] = useState<Store[] | null>(null);
  const [name, setName] = useState('');
  const [city, setCity] = useState('');
  const secret = useCallback(() => client({ token: secretKey }), [secretKey]);

  const load = useAction(
    useCallback(async () => {
      setStores((await answer(secret().GET('/v1/stores', { params: { query: { limit: 50 } } }))).data);
    }, [secret]),
  );
  const loadStores = load.run;
  useEffect(() => {
    void loadStores();
  }, [loadStores]);

  /** A terminal for this register, and the store key it uses when it has none yet. */
  const open = useAction(async (store: Store, apiKey?: string) => {
    const headers = () => ({ 'Idempotency-Key': idempotencyKey() });
    const terminal = (await answer(
      secret().POST('/v1/stores/{id}/terminals', {
        params: { path: { id: store.id } },
        body: { name: t('register.terminalName') },
        headers: headers(),
      }),
    )) as unknown as Terminal;
    const key = apiKey
      ? { apiKey, keyHint: `${apiKey.slice(0, 13)}…${apiKey.slice(-4)}` }
      : await answer(secret().POST('/v1/stores/{id}/keys', { params: { path: { id: store.id } }, headers: headers() }));
    opened({
      storeId: store.id,
      storeName: store.name,
      terminalId: terminal.id,
      terminalName: terminal.name,
      apiKey: key.apiKey,
      keyHint: key.keyHint,
    });
  });

  const create = useAction(async () => {
    const body = { name: name.trim(), ...(city.trim() ? { city: city.trim() } : {}) };
    const store = (await answer(
      secret().POST('/v1/stores', { body, headers: { 'Idempotency-Key': idempotencyKey() } }),
    )) as unknown as CreatedStore;
    await open.run(store, store.apiKey);
  });

  return (
    <div className="store-setup">
      <p>{t('register.setup.explain')}</p>
      <h3>{t('register.setup.pick')}</h3>
      <ProblemView problem={load.problem ?? open.problem} />
      {stores === null ? (
        <p role="status">{t('common.loading')}</p>
      ) : stores.length === 0 ? (
        <p>{t('register.setup.none')}</p>
      ) : (
        <ul className="store-list">
          {stores.map((store) => (
            <li key={store.id}>
              <span>
                <strong>{store.name}</strong> <span className="muted">{store.city}</span>
                <br />
                <code>{store.id}</code>
              </span>
              <button type="button" disabled={open.busy || create.busy} onClick={() => void open.run(store)}>
                {t('register.setup.use', { name: store.name })}
              </button>
            </li>
          ))}
        </ul>
      )}
      <form
        className="store-create"
        onSubmit={(event) => {
          event.preventDefault();
          void create.run();
        }}
      >
        <h3>{t('register.setup.create')}</h3>
        <label>
          {t('register.setup.name')}
          <input required maxLength={100} value={name} onChange={(event) => setName(event.target.value)} autoComplete="off" />
        </label>
        <label>
          {t('register.setup.city')}
          <input maxLength={15} value={city} placeholder="Tokyo" onChange={(event) => setCity(event.target.value)} autoComplete="off" />
        </label>
        <button type="submit" disabled={create.busy || open.busy}>
          {t('register.setup.createSubmit')}
        </button>
        <ProblemView problem={create.problem} />
      </form>
    </div>
  );
}
