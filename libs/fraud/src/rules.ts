import ipaddr from 'ipaddr.js';

export const RULE_ACTIONS = ['score', 'step_up', 'hold_for_review', 'decline'] as const;
/** What a hit does: add its score to the total (score), or at least force that decision whatever the total. */
export type RuleAction = (typeof RULE_ACTIONS)[number];

/** One rule's settings: on or off, the score it adds, what a hit does, and its own knobs. */
export interface RuleSetting {
  enabled: boolean;
  score: number;
  action: RuleAction;
  /** A count, an amount, a percentage or a speed, depending on the rule. */
  threshold?: number;
  windowMinutes?: number;
  categories?: string[];
}

export const RULE_IDS = [
  'login.ip_failure_burst',
  'login.new_device',
  'login.overseas_ip',
  'login.new_country',
  'device.shared',
  'topup.velocity_minute',
  'topup.velocity_hour',
  'topup.velocity_day',
  'topup.amount_minute',
  'topup.amount_hour',
  'topup.amount_day',
  'topup.after_new_device',
  'topup.after_password_reset',
  'topup.new_card_max',
  'payment.velocity',
  'payment.drain_after_topup',
  'payment.impossible_travel',
  'payment.high_risk_category',
  'store.invalid_codes',
] as const;
export type RuleId = (typeof RULE_IDS)[number];

export interface FraudSettings {
  rules: Record<RuleId, RuleSetting>;
  /** Score from which a sign-in demands a fresh second factor, a wallet is held for review, a top-up is declined. */
  thresholds: { stepUp: number; review: number; block: number };
  /** An unreviewed hold lifts itself after this long (sandbox time). */
  holdExpiryHours: number;
  /** How long a risky sign-in keeps counting toward what the wallet does next. */
  sessionRiskMinutes: number;
  /** Networks taken as domestic (Japan); every other address is overseas. */
  domesticNetworks: string[];
}

/**
 * Defaults tuned on 7pay's pattern (a sign-in from abroad on a new phone,
 * card top-ups within a minute, cigarettes at several stores) against a
 * replay of ordinary customers.
 */
export const DEFAULT_SETTINGS: FraudSettings = {
  rules: withActions({
    'login.ip_failure_burst': { enabled: true, score: 30, threshold: 10, windowMinutes: 10 },
    // A device change: a new device on an account that had signed in before.
    'login.new_device': { enabled: true, score: 20 },
    'login.overseas_ip': { enabled: true, score: 30 },
    'login.new_country': { enabled: true, score: 20 },
    'device.shared': { enabled: true, score: 40, threshold: 3, windowMinutes: 24 * 60 },
    'topup.velocity_minute': { enabled: true, score: 40, threshold: 2 },
    'topup.velocity_hour': { enabled: true, score: 30, threshold: 5 },
    'topup.velocity_day': { enabled: true, score: 20, threshold: 10 },
    // A single ATM deposit of ¥100,000 scores 40 on amounts (minute and day): approved.
    'topup.amount_minute': { enabled: true, score: 20, threshold: 60_000 },
    'topup.amount_hour': { enabled: true, score: 20, threshold: 150_000 },
    'topup.amount_day': { enabled: true, score: 20, threshold: 100_000 },
    'topup.after_new_device': { enabled: true, score: 30, windowMinutes: 30 },
    'topup.after_password_reset': { enabled: true, score: 40, windowMinutes: 30 },
    'topup.new_card_max': { enabled: true, score: 30, threshold: 30_000, windowMinutes: 30 },
    'payment.velocity': { enabled: true, score: 30, threshold: 3, windowMinutes: 10 },
    'payment.drain_after_topup': { enabled: true, score: 30, threshold: 90, windowMinutes: 30 },
    'payment.impossible_travel': { enabled: true, score: 40, threshold: 300 },
    'payment.high_risk_category': { enabled: true, score: 25, categories: ['tobacco', 'gift_cards', 'electronics'] },
    // A store is not a wallet: its hits are alerts (see Alerts), and the register's key is already blocked.
    'store.invalid_codes': { enabled: true, score: 50, threshold: 1, windowMinutes: 60 },
  }),
  thresholds: { stepUp: 30, review: 60, block: 90 },
  holdExpiryHours: 72,
  sessionRiskMinutes: 30,
  // Private and loopback ranges, TEST-NET-1 and 133.0.0.0/8 (a Japanese allocation) stand for Japan in the sandbox.
  domesticNetworks: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '127.0.0.0/8', '192.0.2.0/24', '133.0.0.0/8', '::1/128', 'fc00::/7'],
};

/** Every rule scores unless a sandbox says otherwise. */
function withActions(rules: Record<RuleId, Omit<RuleSetting, 'action'>>): Record<RuleId, RuleSetting> {
  return Object.fromEntries(Object.entries(rules).map(([id, rule]) => [id, { ...rule, action: 'score' }])) as Record<RuleId, RuleSetting>;
}

export interface SettingsPatch {
  rules?: Partial<Record<RuleId, Partial<RuleSetting>>>;
  thresholds?: Partial<FraudSettings['thresholds']>;
  holdExpiryHours?: number;
  sessionRiskMinutes?: number;
  domesticNetworks?: string[];
}

export function mergeSettings(patch: SettingsPatch): FraudSettings {
  const rules = { ...DEFAULT_SETTINGS.rules };
  for (const [id, setting] of Object.entries(patch.rules ?? {}) as Array<[RuleId, Partial<RuleSetting>]>)
    rules[id] = { ...rules[id], ...setting };
  return {
    rules,
    thresholds: { ...DEFAULT_SETTINGS.thresholds, ...patch.thresholds },
    holdExpiryHours: patch.holdExpiryHours ?? DEFAULT_SETTINGS.holdExpiryHours,
    sessionRiskMinutes: patch.sessionRiskMinutes ?? DEFAULT_SETTINGS.sessionRiskMinutes,
    domesticNetworks: patch.domesticNetworks ?? DEFAULT_SETTINGS.domesticNetworks,
  };
}

/** Whether a network is written as a CIDR, such as 133.0.0.0/8 or fc00::/7 (IPv4 in four parts: `10/8` is not 10.0.0.0/8). */
export function isCidr(network: string): boolean {
  return ipaddr.IPv4.isValidCIDRFourPartDecimal(network) || ipaddr.IPv6.isValidCIDR(network);
}

/** 'JP' for an address in the domestic networks, 'overseas' otherwise (the sandbox has no GeoIP database). */
export function countryOf(ip: string | null, domesticNetworks: string[]): 'JP' | 'overseas' {
  if (!ip) return 'JP';
  if (!ipaddr.isValid(ip)) return 'overseas';
  const address = ipaddr.process(ip);
  // A network that is not a CIDR (settings saved before they were checked) matches nothing rather than everything.
  for (const network of domesticNetworks.filter(isCidr)) {
    const [range, bits] = ipaddr.parseCIDR(network);
    if (address.kind() === range.kind() && address.match(range, bits)) return 'JP';
  }
  return 'overseas';
}

/** What is wrong with thresholds that are not ordered stepUp ≤ review ≤ block, if anything. */
export function thresholdsProblem({ stepUp, review, block }: FraudSettings['thresholds']): string | null {
  return stepUp <= review && review <= block
    ? null
    : `must be ordered stepUp ≤ review ≤ block (they would be ${stepUp}, ${review}, ${block})`;
}

/** Great-circle distance in kilometres. */
export function distanceKm(a: { latitude: number; longitude: number }, b: { latitude: number; longitude: number }): number {
  const rad = Math.PI / 180;
  const dLat = (b.latitude - a.latitude) * rad;
  const dLon = (b.longitude - a.longitude) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.latitude * rad) * Math.cos(b.latitude * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * 6371 * Math.asin(Math.sqrt(h));
}

export interface Hit {
  rule: RuleId;
  score: number;
  inputs: Record<string, unknown>;
}

/** Decisions from the mildest to the strictest. */
const DECISIONS = ['approve', 'step_up', 'hold_for_review', 'decline'] as const;
export type Decision = (typeof DECISIONS)[number];

/** The decision the total score reaches, made stricter by any hit whose rule forces an action. */
export function decide(score: number, s: FraudSettings, hits: readonly Hit[]): Decision {
  const { stepUp, review, block } = s.thresholds;
  let decision: Decision = score >= block ? 'decline' : score >= review ? 'hold_for_review' : score >= stepUp ? 'step_up' : 'approve';
  for (const { rule } of hits) {
    const action = s.rules[rule].action;
    if (action !== 'score' && DECISIONS.indexOf(action) > DECISIONS.indexOf(decision)) decision = action;
  }
  return decision;
}
