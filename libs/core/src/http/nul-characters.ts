import type { FieldError } from '../errors/domain-error.js';

const NUL = '\u0000';

/** The strings of a value at any depth, and its field names, that hold a NUL; `field` names the value itself. */
function* nulsIn(value: unknown, field: string, path: string): Generator<FieldError> {
  if (typeof value === 'string') {
    if (value.includes(NUL)) yield { field: path || field, message: 'must not contain the NUL character (\\u0000)' };
  } else if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) yield* nulsIn(item, field, path ? `${path}.${index}` : String(index));
  } else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      if (key.includes(NUL)) yield { field: path || field, message: 'must not name a field with the NUL character (\\u0000)' };
      else yield* nulsIn(item, field, path ? `${path}.${key}` : key);
    }
  }
}

/**
 * Postgres stores no NUL in text or jsonb, so a NUL anywhere in a request
 * (path parameters, query string, body at any depth) is bad input. Fields
 * are named as validation names them: `walletId`, `to`, `events.1`.
 */
export function nulCharacters(request: { params: unknown; query: unknown; body: unknown }): FieldError[] {
  return [...nulsIn(request.params, 'path', ''), ...nulsIn(request.query, 'query', ''), ...nulsIn(request.body, 'body', '')];
}
