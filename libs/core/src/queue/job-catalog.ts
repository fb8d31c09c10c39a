import { BullModule } from '@nestjs/bullmq';
import { type DynamicModule, Module } from '@nestjs/common';
import type { JobsOptions } from 'bullmq';
import { Environment } from '../config/environment.js';
import { queuePrefix } from './queue-backend.js';
import { type JobName, type JobSpec, type QueueDefinition, type QueueName, RETENTION } from './jobs.js';
import type { Topic } from './topics.js';

/**
 * The queues of the modules a process loaded, by their definitions: where a
 * job goes, how it retries, which jobs an event starts. Filled as modules
 * load (`JobsModule.forFeature`), so it is whole before anything runs.
 */
export class JobCatalog {
  private readonly definitions = new Map<QueueName, QueueDefinition>();
  private readonly queueOfJob = new Map<JobName, QueueDefinition>();

  /** Fails at load time on a queue defined twice, a job in two queues, or a former name still in use. */
  register(definition: QueueDefinition): void {
    const known = this.definitions.get(definition.queue);
    if (known === definition) return;
    if (known) throw new Error(`queue '${definition.queue}' is defined twice`);
    for (const [former, current] of Object.entries(definition.formerly ?? {})) {
      if (former in definition.jobs || !(current in definition.jobs)) {
        throw new Error(`queue '${definition.queue}': '${former}' must be a former name of one of its jobs, not '${current}'`);
      }
    }
    for (const job of Object.keys(definition.jobs) as JobName[]) {
      const other = this.queueOfJob.get(job);
      if (other) throw new Error(`job '${job}' is in queues '${other.queue}' and '${definition.queue}'`);
    }
    this.definitions.set(definition.queue, definition);
    for (const job of Object.keys(definition.jobs) as JobName[]) this.queueOfJob.set(job, definition);
  }

  queues(): QueueName[] {
    return [...this.definitions.keys()];
  }

  jobs(): JobName[] {
    return [...this.queueOfJob.keys()];
  }

  queueOf(job: JobName): QueueName {
    return this.definitionOf(job).queue;
  }

  spec(job: JobName): JobSpec {
    return (this.definitionOf(job).jobs as Record<string, JobSpec>)[job];
  }

  /** The job a stored job of the queue runs as: the one it was renamed to, if it was. */
  currentName(queue: QueueName, stored: string): string {
    return this.definitions.get(queue)?.formerly?.[stored] ?? stored;
  }

  /** Which jobs an event of this type starts: at most one per queue, so each job's id can be the event's. */
  routesOf(topic: Topic): JobName[] {
    const routed: JobName[] = [];
    for (const definition of this.definitions.values()) {
      const job = definition.routes[topic] ?? definition.everyEvent;
      if (job) routed.push(job);
    }
    return routed;
  }

  /** The jobs a scheduler enqueues every so often. */
  periodic(): Array<{ job: JobName; queue: QueueName; everyMs: number }> {
    return this.jobs().flatMap((job) => {
      const { everyMs } = this.spec(job);
      return everyMs === undefined ? [] : [{ job, queue: this.queueOf(job), everyMs }];
    });
  }

  private definitionOf(job: JobName): QueueDefinition {
    const definition = this.queueOfJob.get(job);
    if (!definition) throw new Error(`job '${job}' is in no queue this process loaded`);
    return definition;
  }
}

/** This process's catalog. */
export const JOB_CATALOG = new JobCatalog();

/** BullMQ options of a job: its retries, bounded retention, and the caller's overrides (its id). */
export function jobOptions(job: JobName, overrides: JobsOptions = {}): JobsOptions {
  const spec = JOB_CATALOG.spec(job);
  return { attempts: spec.attempts, backoff: spec.backoff, ...RETENTION, ...overrides };
}

/**
 * A module's queue, for the module's Nest module to import: every process
 * that loads the module can enqueue its jobs, the relay routes events to
 * them, and the worker checks at startup that each has a handler.
 */
@Module({})
export class JobsModule {
  static forFeature(definition: QueueDefinition): DynamicModule {
    JOB_CATALOG.register(definition);
    const queue = BullModule.registerQueueAsync({
      name: definition.queue,
      inject: [Environment],
      useFactory: (env: Environment) => ({ prefix: queuePrefix(env, definition.queue) }),
    });
    return { module: JobsModule, imports: [queue], exports: [queue] };
  }
}
