import { describe, expect, test } from '@jest/globals';
import { validateEnvironment } from '../config/environment.js';
import { type SealedColumn, SealedData, type SealedValue } from './sealed-data.js';
import { Secrets } from './secrets.js';

const settings = { DATABASE_URL: 'postgres://localhost/x', ADMIN_TOKEN: 'admin-3f9c1e7a5b2d8f4c6e0a9b1d7c3e5f2a', NODE_ENV: 'test' };
const KEY_A = 'Zq8mT2vL5xR9cW1nH4bJ7kP0sD3gF6yA-older';
const KEY_B = 'Nf3kX7pQ1zL9vB5mR2tW8cJ4hS6dG0yE-newer';
const secrets = (extra: Record<string, string>) => new Secrets(validateEnvironment({ ...settings, ...extra }));

/** A column kept in memory, in (sandbox, id) order, as a repository pages it. */
function memoryColumn(values: SealedValue[]): SealedColumn & { values: SealedValue[] } {
  return {
    purpose: 'totp',
    values,
    page: async (after, limit) =>
      values.filter((v) => !after || `${v.sandboxId}/${v.id}` > `${after.sandboxId}/${after.id}`).slice(0, limit),
    replace: async (value, sealed) => {
      const row = values.find((v) => v.sandboxId === value.sandboxId && v.id === value.id && v.sealed === value.sealed);
      if (row) row.sealed = sealed;
      return row !== undefined;
    },
  };
}

describe('re-sealing every column', () => {
  test('values under an earlier key are re-sealed under the current one; a value no key opens is named and left alone', async () => {
    const old = secrets({ SECRETS_KEY: KEY_A });
    const rows = Array.from({ length: 1_203 }, (_, i) => ({ sandboxId: 'sbx_1', id: `usr_${String(i).padStart(5, '0')}` }));
    const values = rows.map((row) => ({ ...row, sealed: old.seal('totp', row, `seed of ${row.id}`) }));
    // Moved from another row: it does not open here.
    values[7].sealed = values[8].sealed;
    const column = memoryColumn(values);
    const rotated = secrets({ SECRETS_KEY: KEY_B, SECRETS_KEY_PREVIOUS: KEY_A });
    const data = new SealedData(rotated);
    data.register('TOTP seeds', column);

    const [report] = await data.resealAll();
    expect(report).toMatchObject({ column: 'TOTP seeds', resealed: 1_202, current: 0 });
    expect(report.unopenable).toEqual([expect.stringContaining('sbx_1/usr_00007 does not open')]);
    const onlyB = secrets({ SECRETS_KEY: KEY_B });
    expect(onlyB.open('totp', rows[1_202], column.values[1_202].sealed)).toBe('seed of usr_01202');

    const [again] = await data.resealAll();
    expect(again).toMatchObject({ resealed: 0, current: 1_202 });
  });
});
