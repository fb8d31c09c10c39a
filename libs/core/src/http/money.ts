import { ValidateBy, type ValidationOptions } from 'class-validator';

/**
 * Yen amounts: whole numbers from 1 to `max` (JPY has no minor unit),
 * checked at the edge. One rule and one message for every wrong value, be it
 * "100", 1.5, null or too large, so a client learns what an amount is.
 */
export function IsYenAmount({ max = Number.MAX_SAFE_INTEGER, ...options }: ValidationOptions & { max?: number } = {}): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isYenAmount',
      constraints: [max],
      validator: {
        validate: (value: unknown) => typeof value === 'number' && Number.isSafeInteger(value) && value > 0 && value <= max,
        defaultMessage: () => `must be a whole number of yen (a JSON integer, not a string) from 1 to ${max}`,
      },
    },
    options,
  );
}
