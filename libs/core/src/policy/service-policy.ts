import { Injectable } from '@nestjs/common';
import type { SandboxContext } from '../auth/principal.js';
import { DomainError } from '../errors/domain-error.js';

export const TOPUP_CHANNELS = ['card', 'bank_debit', 'atm', 'register_cash', 'points'] as const;
export type TopupChannel = (typeof TOPUP_CHANNELS)[number];

/** What the service phase can switch off, channel by channel (7pay's shutdown did exactly this). */
export type Capability = 'registration' | 'login' | 'payment' | 'refund_claims' | `topup.${TopupChannel}`;

/** Whoever knows the service phases answers for them (the lifecycle module). */
export interface CapabilitySource {
  check(sandbox: SandboxContext, capability: Capability): Promise<{ open: boolean; phase: string }>;
}

/**
 * The one policy every module asks before acting. Without a source (an app
 * that does not load the lifecycle module) every capability is open.
 */
@Injectable()
export class ServicePolicy {
  private source: CapabilitySource | null = null;

  use(source: CapabilitySource): void {
    this.source = source;
  }

  async isOpen(sandbox: SandboxContext, capability: Capability): Promise<boolean> {
    return this.source ? (await this.source.check(sandbox, capability)).open : true;
  }

  async assertOpen(sandbox: SandboxContext, capability: Capability): Promise<void> {
    if (!this.source) return;
    const { open, phase } = await this.source.check(sandbox, capability);
    if (!open) throw ServicePolicy.suspended(capability, phase);
  }

  static suspended(capability: Capability, phase: string): DomainError {
    return new DomainError('service_suspended', `The service is ${phase.replaceAll('_', ' ')}: ${capability} is not available`, {
      capability,
      phase,
    });
  }
}
