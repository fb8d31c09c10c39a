import type { BackoffOptions, JobsOptions } from 'bullmq';
import type { Topic } from './topics.js';

/**
 * Every queue's jobs and each job's payload, by queue then job name. Core
 * declares it empty; the module that owns a queue declares it in its
 * `<module>.jobs.ts`, by declaration merging, beside the queue's runtime
 * table (`defineQueue`):
 *
 *     declare module '#core' {
 *       interface QueueJobs {
 *         capture: {
 *           'capture.on-fraud-confirmed': EventJob<'fraud.confirmed'>;
 *         };
 *       }
 *     }
 *
 * A module owns one queue, a job belongs to exactly one queue and carries one
 * payload type (a small message: ids, or the event that started it). Queue
 * and job names are persisted (BullMQ's keys, its stored and scheduled jobs):
 * never rename or remove one without a migration plan, such as draining the
 * queue first or handling both names for a release. A job renamed keeps its
 * old name in its queue's `formerly`, so that jobs stored under it still run.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- each module adds its queue
export interface QueueJobs {}

export type QueueName = keyof QueueJobs & string;

/** The jobs of one queue: its processor must handle exactly these. */
export type JobOfQueue<Q extends QueueName> = keyof QueueJobs[Q] & string;

export type JobName = { [Q in QueueName]: JobOfQueue<Q> }[QueueName];

/** Every job's payload by job name, whatever its queue. */
export type JobPayloads = { [J in JobName]: { [Q in QueueName]: J extends keyof QueueJobs[Q] ? QueueJobs[Q][J] : never }[QueueName] };

/** What a periodic job carries: nothing, it looks at every sandbox. */
export type PeriodicJob = Record<never, never>;

export interface JobSpec {
  attempts: number;
  backoff: BackoffOptions;
  /** For periodic jobs: how often the scheduler enqueues one. */
  everyMs?: number;
}

export const RETRY_FAST = { attempts: 8, backoff: { type: 'exponential', delay: 200 } } satisfies JobSpec;
export const RETRY_PERIODIC = { attempts: 3, backoff: { type: 'fixed', delay: 1_000 } } satisfies JobSpec;

/** The topics a payload says its job takes: those of its event, if it carries one. */
type TopicsIn<P> = P extends { type: infer T extends Topic } ? T : never;

/** The jobs of a queue that the relay routes events to by topic (all but the one taking every event). */
type RoutedJob<Q extends QueueName, E> = Exclude<JobOfQueue<Q>, E>;

/**
 * A queue's routes, checked against its payload types: every topic one of its
 * jobs takes, mapped to that job, and nothing else. A topic routes to at most
 * one job per queue, so the job id can be the event id.
 */
export type QueueRoutes<Q extends QueueName, E = never> = {
  readonly [T in { [J in RoutedJob<Q, E>]: TopicsIn<QueueJobs[Q][J]> }[RoutedJob<Q, E>]]: {
    [J in RoutedJob<Q, E>]: T extends TopicsIn<QueueJobs[Q][J]> ? J : never;
  }[RoutedJob<Q, E>];
};

/** A job of the queue whose payload takes an event of any type. */
type EveryEventJob<Q extends QueueName> = { [J in JobOfQueue<Q>]: Topic extends TopicsIn<QueueJobs[Q][J]> ? J : never }[JobOfQueue<Q>];

/** A queue's runtime table, what its types cannot say once compiled; without a name, any queue's. */
export type QueueDefinition<Q extends QueueName = QueueName> = Q extends QueueName
  ? {
      readonly queue: Q;
      readonly jobs: { readonly [J in JobOfQueue<Q>]: JobSpec };
      /** Which job of this queue an event of each topic starts. */
      readonly routes: Readonly<Partial<Record<Topic, JobOfQueue<Q>>>>;
      /** A job every event starts, whatever its type; a route gate may let a sandbox's events skip it. */
      readonly everyEvent?: JobOfQueue<Q>;
      /** Jobs renamed, by their old names: a job stored under one before the rename runs as the new. */
      readonly formerly?: Readonly<Record<string, JobOfQueue<Q>>>;
    }
  : never;

/**
 * A module's queue: each job's retries (every job of the queue, and only
 * those) and the routes from topics to its jobs. The module's Nest module
 * passes it to `JobsModule.forFeature`.
 */
export function defineQueue<Q extends QueueName, E extends EveryEventJob<Q> = never>(
  queue: Q,
  table: {
    jobs: { readonly [J in JobOfQueue<Q>]: JobSpec };
    routes: QueueRoutes<Q, E>;
    everyEvent?: E;
    formerly?: Readonly<Record<string, JobOfQueue<Q>>>;
  },
): QueueDefinition<Q> {
  const { jobs, routes, everyEvent, formerly } = table;
  // QueueDefinition<Q> is a conditional type, which TypeScript does not resolve for a Q not yet known.
  return { queue, jobs, routes, everyEvent, formerly } as unknown as QueueDefinition<Q>;
}

/** Bounded retention: Redis keeps recent history only. */
export const RETENTION: Pick<JobsOptions, 'removeOnComplete' | 'removeOnFail'> = {
  removeOnComplete: { age: 60 * 60, count: 5_000 },
  removeOnFail: { age: 7 * 24 * 60 * 60, count: 20_000 },
};

/**
 * A custom job id from its parts. BullMQ refuses ids with a ':' (its key
 * separator) and ids that read as integers, so the parts are joined by '-'
 * and a part holding a ':' is a programming error caught here, not a job
 * that fails after its work committed.
 */
export function jobIdOf(key: ReadonlyArray<string | number>): string {
  const parts = key.map(String);
  if (parts.length === 0 || parts.some((part) => part.length === 0 || part.includes(':'))) {
    throw new Error(`a job id's parts must be non-empty and free of ':' (got ${JSON.stringify(parts)})`);
  }
  const id = parts.join('-');
  return /^\d+$/.test(id) ? `job-${id}` : id;
}
