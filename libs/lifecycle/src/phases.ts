import { type Capability, TOPUP_CHANNELS, type TopupChannel } from '#core';

/** 7pay's way out, in order: each phase switches more off. */
export const PHASES = [
  'operating',
  'card_topup_suspended',
  'topup_suspended',
  'abolition_announced',
  'terminated',
  'refund_window',
  'closed',
] as const;
export type Phase = (typeof PHASES)[number];

/** Phases an operator moves to; the later ones follow the abolition notice's dates. */
export const OPERATOR_PHASES: readonly Phase[] = ['card_topup_suspended', 'topup_suspended', 'abolition_announced'];

const EVERY_TOPUP = TOPUP_CHANNELS.map((channel) => `topup.${channel}` as const);

/**
 * The capability matrix: what each phase leaves open. 7pay 07-03 stopped
 * card top-ups (credit and debit), 07-04 every top-up and new sign-ups; after
 * 09-30 nobody could pay; claims ran 10-01 to 01-10; then the service was gone.
 */
const OPEN: Record<Phase, readonly Capability[]> = {
  operating: ['registration', 'login', 'payment', ...EVERY_TOPUP],
  card_topup_suspended: ['registration', 'login', 'payment', 'topup.atm', 'topup.register_cash', 'topup.points'],
  topup_suspended: ['login', 'payment'],
  abolition_announced: ['login', 'payment'],
  terminated: ['login'],
  refund_window: ['login', 'refund_claims'],
  closed: [],
};

export function allows(phase: Phase, capability: Capability): boolean {
  return OPEN[phase].includes(capability);
}

export interface Capabilities {
  registration: boolean;
  login: boolean;
  topup: Record<TopupChannel, boolean>;
  payment: boolean;
  refundClaims: boolean;
}

export function capabilitiesOf(phase: Phase): Capabilities {
  return {
    registration: allows(phase, 'registration'),
    login: allows(phase, 'login'),
    topup: Object.fromEntries(TOPUP_CHANNELS.map((channel) => [channel, allows(phase, `topup.${channel}`)])) as Record<
      TopupChannel,
      boolean
    >,
    payment: allows(phase, 'payment'),
    refundClaims: allows(phase, 'refund_claims'),
  };
}

export function phaseIndex(phase: Phase): number {
  return PHASES.indexOf(phase);
}
