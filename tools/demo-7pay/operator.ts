import type { Schemas, WalletSandboxClient } from '@wallet-sandbox/client';
import type { ReconciliationReport as Reconciliation } from '#ledger';
import { type Reply, type SandboxApi, must } from './api.js';
import type { SandboxKeys } from './app.js';

export type Hold = Schemas['HoldDto'];
export type TopupView = Schemas['TopupDto'];
export type RefundClaim = Schemas['RefundClaimDto'];
type ServiceView = Schemas['ServiceViewDto'];

interface Page<T> {
  data: T[];
  has_more: boolean;
}

/** A page of a list, after the item `starting_after` names. */
type PageQuery = { limit: number; starting_after?: string };

/** The operator's console: every call with the sandbox's secret key. */
export class Operator {
  readonly api: WalletSandboxClient;

  constructor(api: SandboxApi, keys: SandboxKeys) {
    this.api = api.as({ bearer: keys.secretKey });
  }

  /** Every item of a list, page by page; `cursor` names an item to start after (its id unless the list says otherwise). */
  async all<T>(
    read: (page: PageQuery) => Promise<Reply<Page<T>>>,
    cursor: (item: T) => string = (item) => (item as { id: string }).id,
  ): Promise<T[]> {
    const items: T[] = [];
    for (let after: string | undefined; ;) {
      const page = await must(read({ limit: 100, ...(after ? { starting_after: after } : {}) }));
      items.push(...page.data);
      if (!page.has_more || page.data.length === 0) return items;
      after = cursor(page.data[page.data.length - 1]);
    }
  }

  transition(body: Schemas['TransitionBody']): Promise<ServiceView> {
    return must(this.api.POST('/v1/service/transitions', { body }));
  }

  service(): Promise<ServiceView> {
    return must(this.api.GET('/v1/service'));
  }

  topup(id: string): Promise<TopupView> {
    return must(this.api.GET('/v1/topups/{id}', { params: { path: { id } } }));
  }

  claim(id: string): Promise<RefundClaim> {
    return must(this.api.GET('/v1/refund-claims/{id}', { params: { path: { id } } }));
  }

  damage(asOf?: Date): Promise<Schemas['DamageReportDto']> {
    const query = asOf ? { asOf: asOf.toISOString() } : {};
    return must(this.api.GET('/v1/reports/damage', { params: { query } }));
  }

  refunds(): Promise<Schemas['RefundReportDto']> {
    return must(this.api.GET('/v1/reports/refunds'));
  }

  /** The ledger's reconciliation; its totals are typed loosely in the OpenAPI document, so they are read as the ledger defines them. */
  async reconciliation(): Promise<Reconciliation> {
    return (await must(this.api.GET('/v1/reports/reconciliation'))) as unknown as Reconciliation;
  }
}
