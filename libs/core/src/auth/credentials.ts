import { Injectable } from '@nestjs/common';
import type { Principal } from './principal.js';

/** Turns a presented token into a principal, or null when it is not valid. */
export type CredentialResolver = (token: string) => Promise<Principal | null>;

/** Token shapes, by prefix; the module that issues a kind of credential resolves it. */
export type TokenFamily = 'secret_key' | 'publishable_key' | 'store_key' | 'access_token';

const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

const PREFIXES: ReadonlyArray<[string, TokenFamily]> = [
  ['sk_test_', 'secret_key'],
  ['pk_test_', 'publishable_key'],
  ['stk_test_', 'store_key'],
];

@Injectable()
export class Credentials {
  private readonly resolvers = new Map<TokenFamily, CredentialResolver>();

  register(family: TokenFamily, resolver: CredentialResolver): void {
    this.resolvers.set(family, resolver);
  }

  async resolve(token: string): Promise<Principal | null> {
    const family = PREFIXES.find(([prefix]) => token.startsWith(prefix))?.[1] ?? (JWT_SHAPE.test(token) ? 'access_token' : undefined);
    const resolver = family && this.resolvers.get(family);
    return resolver ? resolver(token) : null;
  }
}
