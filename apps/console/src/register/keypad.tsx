import { useId } from 'react';
import { formatYen, useLanguage } from '../i18n/index.js';

/** Up to ¥99,999,999: more than any payment may be, so the API's own limit is what refuses. */
const MAX_DIGITS = 8;
const KEYS = ['7', '8', '9', '4', '5', '6', '1', '2', '3', '00', '0'];

function digitsOf(amount: number): string {
  return amount > 0 ? String(amount) : '';
}

function amountOf(digits: string): number {
  const kept = digits.replace(/\D/g, '').replace(/^0+/, '').slice(0, MAX_DIGITS);
  return kept ? Number(kept) : 0;
}

/** The till's keypad: integer yen, typed on the keys or on the keyboard (digits, Backspace, Escape clears). */
export function Keypad({ amount, onChange }: { amount: number; onChange: (amount: number) => void }) {
  const { t } = useLanguage();
  const id = useId();
  const press = (key: string) => onChange(amountOf(digitsOf(amount) + key));
  return (
    <div className="keypad" role="group" aria-labelledby={`${id}-label`}>
      <label className="amount-display" id={`${id}-label`}>
        {t('common.amount')}
        <input
          inputMode="numeric"
          autoComplete="off"
          data-testid="amount"
          value={amount > 0 ? formatYen(amount) : ''}
          placeholder="¥0"
          onChange={(event) => onChange(amountOf(event.target.value))}
          onKeyDown={(event) => {
            if (event.key === 'Escape') onChange(0);
          }}
        />
      </label>
      <div className="keys">
        {KEYS.map((key) => (
          <button key={key} type="button" className="key" onClick={() => press(key)}>
            {key}
          </button>
        ))}
        <button
          type="button"
          className="key secondary"
          aria-label={t('register.keypad.backspace')}
          onClick={() => onChange(amountOf(digitsOf(amount).slice(0, -1)))}
        >
          ⌫
        </button>
        <button type="button" className="key secondary wide" onClick={() => onChange(0)}>
          {t('register.keypad.clear')}
        </button>
      </div>
    </div>
  );
}
