/** The fraud API's answers, as far as the room reads them (the OpenAPI document has no schema for them yet). */
export type HoldStatus = 'open' | 'released' | 'confirmed' | 'expired';
export const HOLD_STATUSES: HoldStatus[] = ['open', 'released', 'confirmed', 'expired'];

export type Inputs = Record<string, unknown>;

export interface Hold {
  id: string;
  walletId: string;
  userId: string | null;
  status: HoldStatus;
  reason: string;
  score: number;
  rules: string[];
  hits: Array<{ rule: string; score: number; inputs: Inputs }>;
  sessionRisk: number;
  topupIds: string[];
  windowStart: string;
  createdAt: string;
  expiresAt: string;
  resolvedAt: string | null;
  resolvedBy: string | null;
  resolutionReason: string | null;
  audit: Array<{ at: string; actor: string; action: string; note: string | null }>;
  victimId?: string;
}

export interface Page<T> {
  data: T[];
  has_more: boolean;
}

type Country = 'JP' | 'overseas';

export interface CaseFile {
  holdId: string;
  walletId: string;
  from: string;
  to: string;
  signIns: Array<{ at: string; ip: string | null; country: Country; deviceId: string | null; newDevice: boolean; score: number }>;
  devices: Array<{ deviceId: string; signIns: number; firstSeen: string; lastSeen: string }>;
  ips: Array<{ ip: string; country: Country; signIns: number; firstSeen: string; lastSeen: string }>;
  topups: Array<{ id: string; at: string; amount: number; channel: string | null; settled: boolean; held: boolean; score: number }>;
  payments: Array<{ id: string; at: string; amount: number; storeId: string | null; category: string | null; score: number }>;
}

export interface Alert {
  id: string;
  rule: string;
  subjectType: 'store' | 'ip';
  subjectId: string;
  score: number;
  inputs: Inputs;
  occurredAt: string;
}

export const RULE_ACTIONS = ['score', 'step_up', 'hold_for_review', 'decline'] as const;
export type RuleAction = (typeof RULE_ACTIONS)[number];

export interface RuleSetting {
  enabled: boolean;
  score: number;
  action: RuleAction;
  threshold?: number;
  windowMinutes?: number;
  categories?: string[];
}

export interface FraudSettings {
  rules: Record<string, RuleSetting>;
  thresholds: { stepUp: number; review: number; block: number };
  holdExpiryHours: number;
  sessionRiskMinutes: number;
  domesticNetworks: string[];
}

export interface VictimLine {
  victimId: string;
  holdId: string;
  walletId: string;
  userId: string | null;
  confirmedAt: string;
  fraudulentTopups: number;
  fraudulentPayments: number;
  damage: number;
  compensation: { status: 'pending' | 'paid'; reimbursed: number | null; reversed: number | null; paidAt: string | null };
}

export interface DamageReport {
  asOf: string;
  victims: number;
  amount: number;
  compensated: { victims: number; reimbursed: number; reversed: number };
  ledger: { reimbursed: number; reversed: number };
  list: VictimLine[];
  timeline: Array<{ at: string; victims: number; damage: number; compensated: number }>;
}
