import { Injectable } from '@nestjs/common';
import { Database } from '#core';
import { SessionsRepository } from '../sessions.repository.js';

/** A risky sign-in: no session of the customer counts as stepped up any more. */
@Injectable()
export class DemandStepUp {
  constructor(
    private readonly db: Database,
    private readonly sessions: SessionsRepository,
  ) {}

  async execute(sandboxId: string, userId: string): Promise<void> {
    await this.sessions.endStepUps(this.db, sandboxId, userId);
  }
}
