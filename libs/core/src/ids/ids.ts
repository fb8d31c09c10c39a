import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import { systemNowMs } from '../clock/clock.js';

/** Prefixes of every public id; a reader knows what an id names at a glance. */
export type IdPrefix =
  | 'sbx'
  | 'usr'
  | 'wal'
  | 'top'
  | 'pay'
  | 'ref'
  | 'str'
  | 'hld'
  | 'evt'
  | 'clm'
  | 'trf'
  | 'pnd'
  | 'msg'
  | 'key'
  | 'dev'
  | 'ses'
  | 'crd'
  | 'pcd'
  | 'trm'
  | 'whe'
  | 'req'
  | 'chl'
  | 'stc'
  | 'bnk'
  | 'atm'
  | 'scr';

const CROCKFORD = '0123456789abcdefghjkmnpqrstvwxyz';
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/**
 * `<prefix>_<10 chars of time><16 random chars>`: ids sort by creation time,
 * which keeps cursor pagination a plain index range scan.
 */
export function newId(prefix: IdPrefix, nowMs: number = systemNowMs()): string {
  let time = '';
  let t = nowMs;
  for (let i = 0; i < 10; i++) {
    time = CROCKFORD[t % 32] + time;
    t = Math.floor(t / 32);
  }
  const bytes = randomBytes(10);
  let rand = '';
  for (let i = 0; i < 16; i++) {
    // 16 chars x 5 bits = the 80 random bits
    const bit = i * 5;
    const byte = bit >> 3;
    const shift = bit & 7;
    const word = (bytes[byte] << 8) | (bytes[byte + 1] ?? 0);
    rand += CROCKFORD[(word >> (11 - shift)) & 31];
  }
  return `${prefix}_${time}${rand}`;
}

/** A random base62 string of the given length (about 5.95 bits per char). */
export function randomSecret(length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += BASE62[randomInt(62)];
  return out;
}

/**
 * Secrets of high entropy (API keys, tokens) are stored as their SHA-256:
 * a lookup by hash is exact and a leaked table reveals no usable key.
 */
export function sha256Hex(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

/** Compares two secrets in time independent of where they differ. */
export function secretsEqual(a: string, b: string): boolean {
  return timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest());
}

export function isId(value: unknown, prefix: IdPrefix): value is string {
  return (
    typeof value === 'string' &&
    value.length === prefix.length + 27 &&
    value.startsWith(`${prefix}_`) &&
    /^[0-9a-z]{26}$/.test(value.slice(prefix.length + 1))
  );
}
