import { type FormEvent, useCallback, useState } from 'react';
import { ProblemView } from '../../components/problem-view.js';
import { useAction } from '../../components/use-action.js';
import { useLanguage } from '../../i18n/index.js';
import { read, useOperatorApi } from './shared.js';
import type { Hold } from './types.js';

/** An operator holds a wallet the rules did not, e.g. on a customer's report of a takeover. */
export function PlaceHold({ onPlaced, onOpen }: { onPlaced: (hold: Hold) => void; onOpen: (id: string) => void }) {
  const { t } = useLanguage();
  const api = useOperatorApi();
  const [walletId, setWalletId] = useState('');
  const [reason, setReason] = useState('');
  const [placed, setPlaced] = useState<Hold | null>(null);
  const place = useAction(
    useCallback(async () => {
      const hold = await read<Hold>(api.POST('/v1/holds', { body: { walletId: walletId.trim(), reason: reason.trim() } }));
      setPlaced(hold);
      onPlaced(hold);
    }, [api, walletId, reason, onPlaced]),
  );
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setPlaced(null);
    void place.run();
  };
  const existing = place.problem?.code === 'hold_exists' ? (place.problem as { holdId?: string }).holdId : undefined;
  return (
    <section className="fraud-section" aria-labelledby="place-heading">
      <h3 id="place-heading">{t('fraud.place.heading')}</h3>
      <p className="muted">{t('fraud.place.explain')}</p>
      <form className="place-hold" onSubmit={submit}>
        <label>
          {t('fraud.place.wallet')}
          <input value={walletId} onChange={(event) => setWalletId(event.target.value)} required placeholder="wal_…" autoComplete="off" />
        </label>
        <label>
          {t('fraud.place.reason')}
          <input value={reason} onChange={(event) => setReason(event.target.value)} required maxLength={500} />
        </label>
        <button type="submit" disabled={place.busy}>
          {t('fraud.place.submit')}
        </button>
      </form>
      <ProblemView problem={place.problem} />
      {existing && (
        <button type="button" className="secondary" onClick={() => onOpen(existing)}>
          {t('fraud.place.openExisting')}
        </button>
      )}
      {placed && (
        <p className="notice" role="status" data-testid="hold-placed">
          {t('fraud.place.done', { id: placed.id, wallet: placed.walletId })}{' '}
          <button type="button" className="secondary" onClick={() => onOpen(placed.id)}>
            {t('fraud.holds.open')}
          </button>
        </p>
      )}
    </section>
  );
}
