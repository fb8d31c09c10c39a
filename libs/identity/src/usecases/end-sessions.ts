import { Injectable } from '@nestjs/common';
import { Outbox, type SandboxContext, type Tx, type UserPrincipal } from '#core';
import type { SessionEndReason } from '../identity.events.js';
import { type SessionScope, SessionsRepository } from '../sessions.repository.js';

/** The customer whose sessions end, and the wallet their devices pay from. */
export interface SessionHolder {
  id: string;
  walletId: string;
}

export const holderOf = (me: UserPrincipal): SessionHolder => ({ id: me.userId, walletId: me.walletId });

/**
 * Every way a customer's sessions end goes through here, in the caller's
 * transaction, with one `auth.sessions_ended` per ending that ended any:
 * what the sessions' devices were given elsewhere (the payment codes they
 * show at the register) dies with them.
 */
@Injectable()
export class EndSessions {
  constructor(
    private readonly sessions: SessionsRepository,
    private readonly events: Outbox,
  ) {}

  /** Ends the scope's sessions of one customer; returns how many ended. */
  async end(tx: Tx, sandbox: SandboxContext, holder: SessionHolder, reason: SessionEndReason, scope: SessionScope = {}): Promise<number> {
    const devices = await this.sessions.revoke(tx, sandbox.id, holder.id, reason, sandbox.time.now(), scope);
    if (devices.length === 0) return 0;
    const everySession = scope.only === undefined && scope.except === undefined && scope.deviceId === undefined;
    await this.events.emit(tx, sandbox, 'auth.sessions_ended', {
      userId: holder.id,
      walletId: holder.walletId,
      deviceIds: everySession ? null : [...new Set(devices)],
      reason,
    });
    return devices.length;
  }

  /** Ends every session of many customers (a page of a forced reset). */
  async endEvery(tx: Tx, sandbox: SandboxContext, holders: SessionHolder[], reason: SessionEndReason): Promise<void> {
    const ended = new Set(
      await this.sessions.revokeMany(
        tx,
        sandbox.id,
        holders.map((holder) => holder.id),
        reason,
        sandbox.time.now(),
      ),
    );
    await this.events.emitMany(
      tx,
      sandbox,
      'auth.sessions_ended',
      holders
        .filter((holder) => ended.has(holder.id))
        .map((holder) => ({ userId: holder.id, walletId: holder.walletId, deviceIds: null, reason })),
    );
  }
}
