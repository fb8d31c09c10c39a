import type { SandboxApi } from '../cli/api.js';
import { type Answer, answer } from './app.js';
import type { StorePlan } from './cast.js';
import type { TopupView } from './operator.js';

export interface Store {
  plan: StorePlan;
  id: string;
  apiKey: string;
}

export interface Payment {
  id: string;
  amount: number;
  cashDue: number;
  walletId: string;
}

/** The chain's registers: each scans a customer's payment code with its store's key. */
export class Registers {
  constructor(private readonly api: SandboxApi) {}

  /** `allowPartial`: the wallet pays what it holds and the customer the rest in cash, as 7pay allowed. */
  pay(store: Store, code: string, amount: number, category: string, allowPartial = false): Promise<Answer<Payment>> {
    return answer(this.api.post<Payment>('/v1/payments', { bearer: store.apiKey }, { code, amount, category, allowPartial }));
  }

  takeCash(store: Store, code: string, amount: number): Promise<Answer<TopupView>> {
    return answer(this.api.post<TopupView>('/v1/register-topups', { bearer: store.apiKey }, { code, amount }));
  }

  refund(store: Store, paymentId: string, amount: number): Promise<Answer<{ id: string; amount: number }>> {
    return answer(this.api.post(`/v1/payments/${paymentId}/refunds`, { bearer: store.apiKey }, { amount }));
  }
}
