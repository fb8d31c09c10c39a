import { useCallback } from 'react';
import { answer } from '../../api.js';
import { ProblemView } from '../../components/problem-view.js';
import { useAction } from '../../components/use-action.js';
import { type MessageKey, type Translate, formatYen, useLanguage } from '../../i18n/index.js';
import { useWallet } from '../wallet-session.js';
import { type Topup, keyed } from './money-api.js';

export type Channel = 'card' | 'bank_debit' | 'atm' | 'points' | 'register_cash';

interface Limits {
  max: number;
  unit: number;
}

/** How much, in the channel's unit and within its maximum per top-up. */
export function AmountField({
  value,
  onChange,
  limits,
  label,
}: {
  value: number;
  onChange: (n: number) => void;
  limits: Limits;
  label?: string;
}) {
  const { t } = useLanguage();
  const wallet = useWallet();
  const id = `amount-hint-${wallet.slot}`;
  return (
    <label>
      {label ?? t('money.amount')}
      <input
        type="number"
        inputMode="numeric"
        min={limits.unit}
        max={limits.max}
        step={limits.unit}
        required
        value={Number.isFinite(value) && value > 0 ? value : ''}
        aria-describedby={id}
        onChange={(event) => onChange(Number(event.target.value))}
      />
      <span id={id} className="hint">
        {t('money.amountHint', { unit: formatYen(limits.unit), max: formatYen(limits.max) })}
      </span>
    </label>
  );
}

/**
 * POST /v1/topups as one user action: the second factor when the API asks for
 * one, and a fresh Idempotency-Key per attempt (a refusal such as
 * step_up_required is stored with its key and would be replayed).
 */
export function useTopup(onStarted: (topup: Topup) => void) {
  const wallet = useWallet();
  return useAction(
    useCallback(
      async (body: { amount: number; channel: Channel; cardId?: string; bankAccountId?: string }) => {
        const topup = await wallet.withStepUp(() => answer(wallet.api().POST('/v1/topups', { body, ...keyed() })));
        onStarted(topup as unknown as Topup);
      },
      [wallet, onStarted],
    ),
  );
}

/** The form around a channel's top-up button, with its refusal below. */
export function TopupForm({
  onSubmit,
  busy,
  problem,
  label,
  children,
}: {
  onSubmit: () => void;
  busy: boolean;
  problem: ReturnType<typeof useTopup>['problem'];
  label: string;
  children: React.ReactNode;
}) {
  return (
    <form
      className="stack"
      onSubmit={(event) => {
        event.preventDefault();
        onSubmit();
      }}
    >
      {children}
      <div className="actions">
        <button type="submit" disabled={busy}>
          {label}
        </button>
      </div>
      <ProblemView problem={problem} />
    </form>
  );
}

/** A phase as the header names it. */
export function phaseLabel(t: Translate, phase: string): string {
  return t(`phase.${phase}` as MessageKey);
}
