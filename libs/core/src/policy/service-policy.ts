import { Injectable } from '@nestjs/common';
import { DomainError } from '../errors/domain-error.js';

export const TOPUP_CHANNELS = ['card', 'bank_debit', 'atm', 'register_cash', 'points'] as const;
export type TopupChannel = (typeof TOPUP_CHANNELS)[number];

/** What the service phase can switch off, channel by channel (7pay's shutdown did exactly this). */
export type Capability = 'registration' | 'login' | 'payment' | 'refund_claims' | `topup.${TopupChannel}`;

/**
 * The one policy every module asks before acting. While a sandbox is in its
 * `operating` phase (the only phase until the lifecycle module drives
 * transitions) every capability is open.
 */
@Injectable()
export class ServicePolicy {
  async isOpen(_sandboxId: string, _capability: Capability): Promise<boolean> {
    return true;
  }

  async assertOpen(sandboxId: string, capability: Capability): Promise<void> {
    if (!(await this.isOpen(sandboxId, capability))) {
      throw new DomainError('service_suspended', `The service phase does not allow ${capability} now`, { capability });
    }
  }
}
