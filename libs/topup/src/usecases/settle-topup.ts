import { randomInt } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { Database, DomainError, type EventJob, Outbox, OutboxSignal, RequestContext, type SandboxContext, Secrets, newId } from '#core';
import { LedgerService, SystemAccount } from '#ledger';
import { Messages } from '#sandbox';
import { UsersRepository } from '#identity';
import { CardNetwork, type FundingBehavior, GatewayUnavailable } from '../card-network.js';
import { FundingSourcesRepository } from '../funding-sources.repository.js';
import { TopupSettingsStore } from '../settings.js';
import { THREE_DS_SECONDS, threeDsHash } from '../three-d-secure.js';
import { type Topup, TopupsRepository, topupFacts } from '../topups.repository.js';
import { FailTopup } from './fail-topup.js';

const CHANNEL_ACCOUNTS: Record<Topup['channel'], SystemAccount> = {
  card: SystemAccount.TopupCard,
  bank_debit: SystemAccount.TopupBankDebit,
  atm: SystemAccount.TopupAtm,
  register_cash: SystemAccount.TopupRegisterCash,
  points: SystemAccount.TopupPoints,
};

/**
 * The worker's half of a top-up: act on the screening decision, challenge
 * 3-D Secure where the card asks for it, authorise with the funding gateway,
 * and settle with one ledger transfer keyed by the top-up, so a retried or
 * redelivered job can never credit twice.
 */
@Injectable()
export class SettleTopup {
  constructor(
    private readonly db: Database,
    private readonly topups: TopupsRepository,
    private readonly settings: TopupSettingsStore,
    private readonly network: CardNetwork,
    private readonly ledger: LedgerService,
    private readonly outbox: Outbox,
    private readonly users: UsersRepository,
    private readonly messages: Messages,
    private readonly secrets: Secrets,
    private readonly failures: FailTopup,
    private readonly sources: FundingSourcesRepository,
    private readonly signal: OutboxSignal,
  ) {}

  /**
   * `attempt` counts the job's earlier tries; on its last one a gateway that
   * is still unavailable fails the top-up (`gateway_unavailable`) instead of
   * leaving it pending for good.
   */
  async onScreened(sandbox: SandboxContext, event: EventJob<'fraud.topup_screened'>, attempt: number, lastAttempt = false): Promise<void> {
    const topup = await this.topups.find(this.db, sandbox.id, event.data.topupId);
    if (!topup || topup.status !== 'pending' || topup.nextAction) return;
    if (event.data.decision === 'decline') return this.failures.fail(sandbox, topup.id, 'declined_by_screening');
    if (event.data.decision === 'hold') return this.hold(sandbox, topup.id);
    const behavior = await this.behavior(sandbox.id, topup);
    if (behavior === 'three_d_secure') return this.challengeThreeDSecure(sandbox, topup.id);
    await this.fund(sandbox, topup, behavior, attempt, lastAttempt);
  }

  /** No screening decided (it failed on every try): the top-up fails closed, its money never moved. */
  async onScreeningFailed(sandbox: SandboxContext, topupId: string): Promise<void> {
    await this.failures.fail(sandbox, topupId, 'screening_failed');
  }

  async onAuthenticated(sandbox: SandboxContext, topupId: string, attempt: number, lastAttempt = false): Promise<void> {
    const topup = await this.topups.find(this.db, sandbox.id, topupId);
    if (!topup || topup.status !== 'pending' || topup.nextAction) return;
    await this.fund(sandbox, topup, 'succeed', attempt, lastAttempt);
  }

  private async behavior(sandboxId: string, topup: Topup): Promise<FundingBehavior> {
    if (topup.channel === 'card') {
      const token = await this.sources.findNetworkToken(this.db, sandboxId, topup.cardId as string);
      if (!token) throw DomainError.notFound('card', topup.cardId as string);
      return this.network.cardBehavior(this.db, sandboxId, token);
    }
    if (topup.channel === 'bank_debit') {
      const behavior = await this.sources.findBankAccountBehavior(this.db, sandboxId, topup.bankAccountId as string);
      if (!behavior) throw DomainError.notFound('bank account', topup.bankAccountId as string);
      return behavior;
    }
    // Cash in the register or the ATM and points already spent need no authorisation.
    return 'succeed';
  }

  private async fund(
    sandbox: SandboxContext,
    topup: Topup,
    behavior: FundingBehavior,
    attempt: number,
    lastAttempt: boolean,
  ): Promise<void> {
    const { gateway } = await this.settings.get(sandbox.id);
    const authorization = await this.network.authorize(topup.id, behavior, attempt, gateway).catch((error: unknown) => {
      if (lastAttempt && error instanceof GatewayUnavailable) return { approved: false as const, failureCode: 'gateway_unavailable' };
      throw error;
    });
    if (!authorization.approved) return this.failures.fail(sandbox, topup.id, authorization.failureCode);
    const outcome = await this.topups.settle(this.db, {
      sandboxId: sandbox.id,
      topupId: topup.id,
      debit: CHANNEL_ACCOUNTS[topup.channel],
      authorizationId: authorization.authorizationId,
      transferId: newId('trf'),
      eventId: newId('evt'),
      facts: topupFacts(topup),
      requestId: RequestContext.requestId(),
      at: sandbox.time.now(),
    });
    if (outcome === 'succeeded') this.signal.wake();
  }

  /** Funds are reserved for the wallet (a pending transfer) until the fraud review releases or confirms the hold. */
  private async hold(sandbox: SandboxContext, topupId: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      const topup = await this.topups.get(tx, sandbox.id, topupId, {}, true);
      if (topup.status !== 'pending') return;
      const now = sandbox.time.now();
      const pending = await this.ledger.reserve(tx, {
        sandboxId: sandbox.id,
        key: `topup/${topup.id}/hold`,
        debit: CHANNEL_ACCOUNTS[topup.channel],
        credit: topup.walletId,
        amount: topup.amount,
        code: 'topup',
        metadata: { topupId: topup.id, channel: topup.channel },
        at: now,
        expiresAt: null,
      });
      await this.topups.update(tx, sandbox.id, topup.id, { status: 'held', pendingId: pending.id }, now);
      await this.outbox.emit(tx, sandbox, 'topup.held', { ...topupFacts(topup), pendingTransferId: pending.id });
    });
  }

  private async challengeThreeDSecure(sandbox: SandboxContext, topupId: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      const topup = await this.topups.get(tx, sandbox.id, topupId, {}, true);
      if (topup.status !== 'pending' || topup.nextAction) return;
      const user = topup.userId ? await this.users.findById(tx, sandbox.id, topup.userId) : null;
      if (!user) return this.failures.failIn(tx, sandbox, topup, 'three_d_secure_failed');
      const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
      const now = sandbox.time.now();
      await this.topups.update(
        tx,
        sandbox.id,
        topup.id,
        {
          nextAction: {
            type: 'three_d_secure',
            verifyWith: `POST /v1/topups/${topup.id}/three-d-secure`,
            expiresAt: new Date(now.getTime() + THREE_DS_SECONDS * 1000).toISOString(),
          },
          threeDsHash: threeDsHash(this.secrets, topup.id, code),
        },
        now,
      );
      await this.messages.send(tx, {
        sandboxId: sandbox.id,
        channel: 'sms',
        to: user.phone,
        body: `Card issuer 3-D Secure: ${code} confirms your ¥${topup.amount} top-up. Never share it.`,
        at: now,
      });
      await this.outbox.emit(tx, sandbox, 'topup.action_required', { ...topupFacts(topup), action: 'three_d_secure' });
    });
  }
}
