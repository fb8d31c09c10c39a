import { AsyncLocalStorage } from 'node:async_hooks';
import { newId } from '../ids/ids.js';

export interface RequestContextData {
  /** Carried from the HTTP request into outbox rows, jobs and every log line. */
  requestId: string;
  /** `<credential scope>:<Idempotency-Key>` when the client sent one. */
  idempotencyScope?: string;
}

const storage = new AsyncLocalStorage<RequestContextData>();

export const RequestContext = {
  run<T>(data: RequestContextData, work: () => T): T {
    return storage.run(data, work);
  },
  current(): RequestContextData | undefined {
    return storage.getStore();
  },
  requestId(): string | null {
    return storage.getStore()?.requestId ?? null;
  },
  /**
   * A unique key for an effect of this request (a ledger transfer, say).
   * Derived from the Idempotency-Key when there is one, so a retry after a
   * crash between the effect and the stored response repeats nothing.
   */
  effectKey(purpose: string): string {
    const scope = storage.getStore()?.idempotencyScope;
    return scope ? `${purpose}:${scope}` : `${purpose}:${newId('req')}`;
  },
};
