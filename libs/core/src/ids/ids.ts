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
  | 'whd'
  | 'wha'
  | 'req'
  | 'chl'
  | 'stc'
  | 'bnk'
  | 'atm'
  | 'scr'
  | 'vic'
  | 'svt'
  | 'ntc'
  | 'prn';

const CROCKFORD = '0123456789abcdefghjkmnpqrstvwxyz';
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

let lastMs = -1;
let lastRandom = 0n;
const RANDOM_BITS = 80n;
const RANDOM_LIMIT = 1n << RANDOM_BITS;

/**
 * `<prefix>_<10 chars of time><16 chars of 80 random bits>`: ids sort by
 * creation time, which keeps cursor pagination a plain index range scan.
 * Within one millisecond a process counts up from its last id, so its ids
 * (events, messages) also keep the order they were made in.
 */
export function newId(prefix: IdPrefix, nowMs: number = systemNowMs()): string {
  let random: bigint;
  if (nowMs <= lastMs && lastRandom + 1n < RANDOM_LIMIT) {
    nowMs = lastMs;
    random = lastRandom + 1n;
  } else {
    random = BigInt(`0x${randomBytes(10).toString('hex')}`);
  }
  lastMs = nowMs;
  lastRandom = random;
  let time = '';
  let t = nowMs;
  for (let i = 0; i < 10; i++) {
    time = CROCKFORD[t % 32] + time;
    t = Math.floor(t / 32);
  }
  let rand = '';
  for (let i = 0; i < 16; i++) {
    rand = CROCKFORD[Number(random & 31n)] + rand;
    random >>= 5n;
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
