import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { Environment } from '../config/environment.js';

/** The row a sealed value belongs to: it opens only there (the associated data of its AES-GCM). */
export interface SealedRow {
  sandboxId: string;
  id: string;
}

/** One version of the root key: its id (written into what it seals) and its bytes. */
interface RootKey {
  id: string;
  root: Buffer;
}

/** Sealed values of this format: `v1.<key id>.<iv>.<tag>.<ciphertext>`, bound to their purpose and row. */
const FORMAT = 'v1';

function rootKey(root: Buffer): RootKey {
  return { id: createHmac('sha256', root).update('key-id').digest('base64url').slice(0, 8), root };
}

function rootOf(secretsKey: string): RootKey {
  return rootKey(Buffer.from(hkdfSync('sha256', secretsKey, 'wallet-sandbox', 'secrets-key', 32)));
}

/** A sealed value no configured key opens: sealed under a key since dropped, moved from another row, or altered. */
export class UnopenableSecret extends Error {
  constructor(purpose: string, row: SealedRow, reason: string) {
    super(`a sealed ${purpose} of ${row.sandboxId || 'the platform'}/${row.id.replaceAll('\n', ' ')} does not open: ${reason}`);
    this.name = 'UnopenableSecret';
  }
}

/**
 * Keys derived from SECRETS_KEY, one per purpose, so every process agrees
 * without sharing key files. Sealed values name the version of the key that
 * sealed them: after a rotation (SECRETS_KEY new, SECRETS_KEY_PREVIOUS the
 * old ones) what the old keys sealed still opens until `npm run rotate-keys`
 * re-seals it. Values sealed before versions (`iv.tag.body`) open with the
 * key derived, as then, from JWT_SECRET or else ADMIN_TOKEN.
 */
@Injectable()
export class Secrets {
  private readonly current: RootKey;
  /** Every key that may open: the current one, the earlier ones, and the key of the days before SECRETS_KEY. */
  private readonly openers = new Map<string, RootKey>();
  private readonly legacy: RootKey;

  constructor(env: Environment) {
    this.legacy = rootKey(Buffer.from(hkdfSync('sha256', env.JWT_SECRET ?? env.ADMIN_TOKEN, 'wallet-sandbox', 'identity-master', 32)));
    const keys = env.secretsKeys();
    // Without SECRETS_KEY (development and test only, the environment sees to it) the old root stands in, so nothing changes.
    this.current = keys.current === null ? this.legacy : rootOf(keys.current);
    for (const key of [this.current, ...keys.previous.map(rootOf), this.legacy])
      if (!this.openers.has(key.id)) this.openers.set(key.id, key);
  }

  /** The id of the key that seals now, as sealed values carry it. */
  get keyId(): string {
    return this.current.id;
  }

  /**
   * A key for one purpose (HMAC, JWT signing) from the current root. These
   * are not versioned: after a rotation, access tokens and pending codes
   * made under the old key are refused and made again.
   */
  derive(purpose: string): Buffer {
    return derived(this.current, purpose);
  }

  /** The key for `purpose` under every key that may open, the current one first: to recognise what an earlier key made. */
  deriveAll(purpose: string): Buffer[] {
    return [...this.openers.values()].map((key) => derived(key, purpose));
  }

  /** AES-256-GCM under the current key, for the few secrets that must be read back, bound to `purpose` and `row`. */
  seal(purpose: string, row: SealedRow, plaintext: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', derived(this.current, `${purpose}-seal`), iv);
    cipher.setAAD(associatedData(purpose, row));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [FORMAT, this.current.id, ...[iv, cipher.getAuthTag(), body].map((part) => part.toString('base64url'))].join('.');
  }

  open(purpose: string, row: SealedRow, sealed: string): string {
    const parts = sealed.split('.');
    if (parts.length === 3) return decrypt(derived(this.legacy, `${purpose}-seal`), parts, null, () => this.refuse(purpose, row));
    const [format, keyId, ...rest] = parts;
    const key = this.openers.get(keyId);
    if (format !== FORMAT || rest.length !== 3) throw new UnopenableSecret(purpose, row, 'not a sealed value');
    if (!key)
      throw new UnopenableSecret(purpose, row, `sealed under key ${keyId}, which is neither SECRETS_KEY nor in SECRETS_KEY_PREVIOUS`);
    return decrypt(derived(key, `${purpose}-seal`), rest, associatedData(purpose, row), () => this.refuse(purpose, row));
  }

  /** The value sealed again under the current key, or null when it already is. */
  reseal(purpose: string, row: SealedRow, sealed: string): string | null {
    if (sealed.startsWith(`${FORMAT}.${this.current.id}.`)) return null;
    return this.seal(purpose, row, this.open(purpose, row, sealed));
  }

  private refuse(purpose: string, row: SealedRow): never {
    throw new UnopenableSecret(purpose, row, 'altered, or sealed for another row');
  }
}

function derived(key: RootKey, purpose: string): Buffer {
  return createHmac('sha256', key.root).update(purpose).digest();
}

function associatedData(purpose: string, row: SealedRow): Buffer {
  return Buffer.from(`${purpose}:${row.sandboxId}:${row.id}`, 'utf8');
}

function decrypt(key: Buffer, parts: string[], aad: Buffer | null, refuse: () => never): string {
  const [iv, tag, body] = parts.map((part) => Buffer.from(part, 'base64url'));
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: 16 });
    decipher.setAuthTag(tag);
    if (aad) decipher.setAAD(aad);
    return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
  } catch {
    return refuse();
  }
}
