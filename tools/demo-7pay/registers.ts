import type { Schemas } from '@wallet-sandbox/client';
import { type Answer, type SandboxApi, answer } from './api.js';
import type { StorePlan } from './cast.js';
import type { TopupView } from './operator.js';

export interface Store {
  plan: StorePlan;
  id: string;
  apiKey: string;
}

export type Payment = Schemas['PaymentDto'];

/** The chain's registers: each scans a customer's payment code with its store's key. */
export class Registers {
  constructor(private readonly api: SandboxApi) {}

  /** `allowPartial`: the wallet pays what it holds and the customer the rest in cash, as 7pay allowed. */
  pay(store: Store, code: string, amount: number, category: string, allowPartial = false): Promise<Answer<Payment>> {
    return answer(this.register(store).POST('/v1/payments', { body: { code, amount, category, allowPartial } }));
  }

  takeCash(store: Store, code: string, amount: number): Promise<Answer<TopupView>> {
    return answer(this.register(store).POST('/v1/register-topups', { body: { code, amount } }));
  }

  refund(store: Store, paymentId: string, amount: number): Promise<Answer<Schemas['RefundDto']>> {
    return answer(this.register(store).POST('/v1/payments/{id}/refunds', { params: { path: { id: paymentId } }, body: { amount } }));
  }

  /** The store's register, calling with its key. */
  private register(store: Store) {
    return this.api.as({ bearer: store.apiKey });
  }
}
