import { Injectable } from '@nestjs/common';
import { Database, type SandboxContext } from '#core';
import { type Notice, NoticesRepository } from '../notices.repository.js';
import { type Capabilities, type Phase, capabilitiesOf } from '../phases.js';
import { phaseAt } from '../schedule.js';
import { TransitionsRepository } from '../transitions.repository.js';

export interface ServiceView {
  phase: Phase;
  capabilities: Capabilities;
  schedule: Array<{
    id: string;
    to: Phase;
    effectiveAt: string;
    status: 'effective' | 'scheduled';
    reason: string | null;
    requestedBy: string;
  }>;
  notice: Notice | null;
  asOf: string;
}

/** The service phase, what it leaves open, the schedule and the abolition notice, read fresh. */
@Injectable()
export class GetService {
  constructor(
    private readonly db: Database,
    private readonly transitions: TransitionsRepository,
    private readonly notices: NoticesRepository,
  ) {}

  async execute(sandbox: SandboxContext): Promise<ServiceView> {
    const now = sandbox.time.now();
    const schedule = await this.transitions.list(this.db, sandbox.id);
    const phase = phaseAt(schedule, now);
    return {
      phase,
      capabilities: capabilitiesOf(phase),
      schedule: schedule.map((t) => ({
        id: t.id,
        to: t.to,
        effectiveAt: t.effectiveAt.toISOString(),
        status: t.effectiveAt <= now ? 'effective' : 'scheduled',
        reason: t.reason,
        requestedBy: t.requestedBy,
      })),
      notice: await this.notices.find(this.db, sandbox.id),
      asOf: now.toISOString(),
    };
  }
}
