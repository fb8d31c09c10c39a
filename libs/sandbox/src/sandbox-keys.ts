import { Injectable, type OnModuleInit } from '@nestjs/common';
import { Credentials, type Principal, randomSecret, sha256Hex } from '#core';
import { SandboxRepository, sandboxContext } from './sandbox.repository.js';

export type KeyKind = 'secret' | 'publishable';

const PREFIX: Record<KeyKind, string> = { secret: 'sk_test_', publishable: 'pk_test_' };
const KEY_FORMAT = /^(sk|pk)_test_[0-9A-Za-z]{32}$/;

export interface IssuedKey {
  kind: KeyKind;
  /** Shown once, at creation; only its SHA-256 is stored. */
  plaintext: string;
  hash: string;
  hint: string;
}

export function issueKey(kind: KeyKind): IssuedKey {
  const plaintext = `${PREFIX[kind]}${randomSecret(32)}`;
  return { kind, plaintext, hash: sha256Hex(plaintext), hint: `${plaintext.slice(0, 12)}…${plaintext.slice(-4)}` };
}

/** Resolves sandbox keys presented by clients into principals. */
@Injectable()
export class SandboxKeyResolver implements OnModuleInit {
  constructor(
    private readonly credentials: Credentials,
    private readonly sandboxes: SandboxRepository,
  ) {}

  onModuleInit(): void {
    this.credentials.register('secret_key', (token) => this.resolve(token, 'secret'));
    this.credentials.register('publishable_key', (token) => this.resolve(token, 'publishable'));
  }

  private async resolve(token: string, expected: KeyKind): Promise<Principal | null> {
    if (!KEY_FORMAT.test(token)) return null;
    const found = await this.sandboxes.findByKeyHash(sha256Hex(token));
    if (!found || found.kind !== expected) return null;
    return { kind: found.kind, keyId: found.keyId, sandbox: sandboxContext(found.sandbox) };
  }
}
