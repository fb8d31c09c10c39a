import { Injectable } from '@nestjs/common';
import { Database, DomainError, type UserPrincipal } from '#core';
import { type Device, SessionsRepository } from '../sessions.repository.js';
import { EndSessions, holderOf } from './end-sessions.js';

/** The devices that signed in to the customer's account. */
@Injectable()
export class ManageDevices {
  constructor(
    private readonly db: Database,
    private readonly sessions: SessionsRepository,
    private readonly endSessions: EndSessions,
  ) {}

  list(me: UserPrincipal): Promise<Device[]> {
    return this.sessions.listDevices(this.db, me.sandbox.id, me.userId);
  }

  /** Untrusts a device and ends its sessions: its next sign-in needs the second factor again. */
  async forget(me: UserPrincipal, deviceId: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      if ((await this.sessions.forgetDevices(tx, me.sandbox.id, me.userId, deviceId)) === 0) throw DomainError.notFound('device', deviceId);
      await this.endSessions.end(tx, me.sandbox, holderOf(me), 'device_forgotten', { deviceId });
    });
  }
}
