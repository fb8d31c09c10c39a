import { Injectable } from '@nestjs/common';
import type { JobName } from '../queue/jobs.js';
import type { Topic } from '../queue/topics.js';

/**
 * Whether a sandbox's event of this type needs the job at all; answered from a cache, so it costs the relay
 * nothing. `recordedAt`, the event's commit time by the database's clock, lets the gate see a cache older than it.
 */
export type RouteGate = (sandboxId: string, type: Topic, recordedAt: Date) => boolean | Promise<boolean>;

/**
 * Lets the module behind a job routed for every event (webhooks) skip the
 * events nobody listens to, before they become jobs. A job without a gate
 * gets every event of its topics.
 */
@Injectable()
export class RouteGates {
  private readonly gates = new Map<JobName, RouteGate>();

  register(job: JobName, gate: RouteGate): void {
    this.gates.set(job, gate);
  }

  async admits(job: JobName, sandboxId: string, type: Topic, recordedAt: Date): Promise<boolean> {
    const gate = this.gates.get(job);
    return gate ? gate(sandboxId, type, recordedAt) : true;
  }
}
