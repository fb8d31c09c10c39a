import { Injectable, type OnModuleInit } from '@nestjs/common';
import { type Capability, type CapabilitySource, Database, SandboxCache, SandboxChanges, type SandboxContext, ServicePolicy } from '#core';
import { type Phase, allows } from './phases.js';
import { type Transition, TransitionsRepository } from './transitions.repository.js';

/** The phase at a time: the furthest transition whose time has come. */
export function phaseAt(schedule: readonly Transition[], at: Date): Phase {
  let phase: Phase = 'operating';
  for (const t of schedule) if (t.effectiveAt <= at) phase = t.to;
  return phase;
}

/**
 * A sandbox's service schedule, and the answer to every module's "may I?"
 * (ServicePolicy). Transitions are few and change rarely, so each process
 * keeps them per sandbox until the sandbox announces a change; the phase
 * itself is worked out from the sandbox's time at each question, so a
 * scheduled step takes effect the moment its time comes. Decisions that
 * must not act on a cached copy read the schedule fresh from its repository.
 */
@Injectable()
export class ServiceSchedule implements CapabilitySource, OnModuleInit {
  private readonly cache: SandboxCache<Transition[]>;

  constructor(
    db: Database,
    transitions: TransitionsRepository,
    changes: SandboxChanges,
    private readonly policy: ServicePolicy,
  ) {
    this.cache = new SandboxCache(changes, (sandboxId) => transitions.list(db, sandboxId));
  }

  onModuleInit(): void {
    this.policy.use(this);
  }

  async check(sandbox: SandboxContext, capability: Capability): Promise<{ open: boolean; phase: Phase }> {
    const phase = await this.phase(sandbox);
    return { open: allows(phase, capability), phase };
  }

  async phase(sandbox: SandboxContext, at: Date = sandbox.time.now()): Promise<Phase> {
    return phaseAt(await this.cache.get(sandbox.id), at);
  }
}
