import type { Credential, SandboxApi } from '../cli/api.js';
import type { DamageReport } from '../../libs/fraud/src/damage-report.js';
import type { RefundReport } from '../../libs/lifecycle/src/refund-report.js';
import type { ReconciliationReport as Reconciliation } from '#ledger';
import type { SandboxKeys } from './app.js';

export interface Hold {
  id: string;
  walletId: string;
  status: string;
  rules: string[];
}

export interface TopupView {
  id: string;
  status: 'pending' | 'succeeded' | 'failed' | 'held' | 'canceled';
  amount: number;
  channel: string;
  walletId: string;
  failureCode: string | null;
  nextAction: { type: string; depositCode?: string } | null;
}

export interface RefundClaim {
  id: string;
  walletId: string;
  status: 'submitted' | 'on_hold' | 'bounced' | 'paid';
  amount: number;
  paidAmount: number;
  failureCode: string | null;
}

export interface ServiceView {
  phase: string;
  notice: { delivered: number; deliveredToAll: boolean } | null;
}

interface Page<T> {
  data: T[];
  has_more: boolean;
}

/** The operator's console: every call with the sandbox's secret key. */
export class Operator {
  private readonly key: Credential;

  constructor(
    private readonly api: SandboxApi,
    keys: SandboxKeys,
  ) {
    this.key = { bearer: keys.secretKey };
  }

  get<T>(path: string): Promise<T> {
    return this.api.get<T>(path, this.key);
  }

  post<T>(path: string, body: unknown = {}): Promise<T> {
    return this.api.post<T>(path, this.key, body);
  }

  /** Every item of a list, page by page; `cursor` names an item to start after (its id unless the list says otherwise). */
  async all<T>(path: string, cursor: (item: T) => string = (item) => (item as { id: string }).id): Promise<T[]> {
    const items: T[] = [];
    const joiner = path.includes('?') ? '&' : '?';
    for (let after: string | null = null; ;) {
      const page: Page<T> = await this.get<Page<T>>(`${path}${joiner}limit=100${after ? `&starting_after=${after}` : ''}`);
      items.push(...page.data);
      if (!page.has_more || page.data.length === 0) return items;
      after = cursor(page.data[page.data.length - 1]);
    }
  }

  transition(body: Record<string, string>): Promise<ServiceView> {
    return this.post<ServiceView>('/v1/service/transitions', body);
  }

  service(): Promise<ServiceView> {
    return this.get<ServiceView>('/v1/service');
  }

  topup(id: string): Promise<TopupView> {
    return this.get<TopupView>(`/v1/topups/${id}`);
  }

  claim(id: string): Promise<RefundClaim> {
    return this.get<RefundClaim>(`/v1/refund-claims/${id}`);
  }

  damage(asOf?: Date): Promise<DamageReport> {
    return this.get<DamageReport>(`/v1/reports/damage${asOf ? `?asOf=${encodeURIComponent(asOf.toISOString())}` : ''}`);
  }

  refunds(): Promise<RefundReport> {
    return this.get<RefundReport>('/v1/reports/refunds');
  }

  reconciliation(): Promise<Reconciliation> {
    return this.get<Reconciliation>('/v1/reports/reconciliation');
  }

  /** How many events of a type the sandbox published, optionally only those `which` picks. */
  async countEvents(type: string, which: (data: Record<string, unknown>) => boolean = () => true): Promise<number> {
    const events = await this.all<{ id: string; data: Record<string, unknown> }>(`/v1/events?type=${type}`);
    return events.filter((event) => which(event.data)).length;
  }
}
