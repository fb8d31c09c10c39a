import { Injectable } from '@nestjs/common';
import { Database, Outbox, SandboxTime, type SecurityProfile, newId, systemNowMs } from '#core';
import { LedgerService } from '#ledger';
import { issueKey } from '../sandbox-keys.js';
import { SandboxRepository } from '../sandbox.repository.js';

export interface CreatedSandbox {
  id: string;
  name: string;
  securityProfile: SecurityProfile;
  simulatedClientIps: boolean;
  stepUpAllowance: number | null;
  secretKey: string;
  publishableKey: string;
  createdAt: string;
}

/**
 * Yen a wallet of a new sandbox may pay in 24 hours without a second factor
 * passed in the last 10 minutes: enough for daily shopping, short of what
 * 7pay's attackers took per account (about ¥48,000 on average).
 */
export const DEFAULT_STEP_UP_ALLOWANCE = 30_000;

/** legacy-2019 asks for no second factor, so its sandboxes carry no allowance unless told. */
const defaultStepUpAllowance = (profile: SecurityProfile): number | null => (profile === 'legacy-2019' ? null : DEFAULT_STEP_UP_ALLOWANCE);

/** A new isolated tenant with its keys (returned once) and its ledger's system accounts. */
@Injectable()
export class CreateSandbox {
  constructor(
    private readonly db: Database,
    private readonly sandboxes: SandboxRepository,
    private readonly ledger: LedgerService,
    private readonly outbox: Outbox,
  ) {}

  /** clockStartsAt: where the sandbox's clock starts (a replay of 2019 starts in 2019); it only moves forward from there. */
  async execute(input: {
    name: string;
    securityProfile: SecurityProfile;
    clockStartsAt?: Date;
    simulatedClientIps?: boolean;
    /** null: payments never ask for a second factor. */
    stepUpAllowance?: number | null;
  }): Promise<CreatedSandbox> {
    const secret = issueKey('secret');
    const publishable = issueKey('publishable');
    return this.db.transaction(async (tx) => {
      const clockOffsetMs = input.clockStartsAt ? input.clockStartsAt.getTime() - systemNowMs() : 0;
      const sandbox = await this.sandboxes.insert(tx, {
        id: newId('sbx'),
        name: input.name,
        securityProfile: input.securityProfile,
        clockOffsetMs,
        simulatedClientIps: input.simulatedClientIps ?? false,
        stepUpAllowance: input.stepUpAllowance === undefined ? defaultStepUpAllowance(input.securityProfile) : input.stepUpAllowance,
      });
      for (const key of [secret, publishable]) {
        await this.sandboxes.insertKey(tx, { id: newId('key'), sandboxId: sandbox.id, kind: key.kind, hash: key.hash, hint: key.hint });
      }
      const now = new SandboxTime(clockOffsetMs).now();
      await this.ledger.openSystemAccounts(tx, sandbox.id, now);
      await this.outbox.publish(tx, {
        sandboxId: sandbox.id,
        type: 'sandbox.created',
        data: { sandboxId: sandbox.id, name: sandbox.name, securityProfile: sandbox.securityProfile },
        occurredAt: now,
      });
      return {
        id: sandbox.id,
        name: sandbox.name,
        securityProfile: sandbox.securityProfile,
        simulatedClientIps: sandbox.simulatedClientIps,
        stepUpAllowance: sandbox.stepUpAllowance,
        secretKey: secret.plaintext,
        publishableKey: publishable.plaintext,
        createdAt: sandbox.createdAt.toISOString(),
      };
    });
  }
}
