import type { Schemas } from '@wallet-sandbox/client';

/** The fraud API's answers, typed by the OpenAPI document; the settings form keeps its own shape of the rules. */
export type HoldStatus = 'open' | 'released' | 'confirmed' | 'expired';
export const HOLD_STATUSES: HoldStatus[] = ['open', 'released', 'confirmed', 'expired'];

export type Inputs = Record<string, unknown>;

export type Hold = Schemas['HoldDto'];
/** A hold after review: confirming fraud also names the victim recorded. */
export type DecidedHold = Hold & Partial<Pick<Schemas['ConfirmedHoldDto'], 'victimId'>>;

export interface Page<T> {
  data: T[];
  has_more: boolean;
}

export type CaseFile = Schemas['CaseFileDto'];

export type Alert = Schemas['AlertDto'];

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

export type VictimLine = Schemas['VictimLineDto'];
export type DamageReport = Schemas['DamageReportDto'];
