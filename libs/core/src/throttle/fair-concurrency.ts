import PQueue from 'p-queue';
import { DomainError } from '../errors/domain-error.js';

export interface FairConcurrencyLimits {
  /** Tasks running at once in the process. */
  readonly concurrency: number;
  /** Tasks of one key running at once: less than `concurrency`, so another key always finds a free slot. */
  readonly perKey: number;
  /** Tasks of one key waiting at once; one more is refused at once. */
  readonly queuedPerKey: number;
  /** How long a task may wait for a slot before it is refused. */
  readonly waitMs: number;
}

/**
 * A per-process cap on costly work (argon2), fair per key (the sandbox).
 * Each key runs at most `perKey` tasks, the process at most `concurrency`,
 * and the process's queue is first come, first served: one key holds at
 * most `perKey` places in it, so a task of a quiet key waits for at most
 * the few tasks of other keys ahead of it, however many a flooding key
 * sends. A task that cannot start within the bounds is refused with
 * 503 `server_busy` and Retry-After.
 */
export class FairConcurrency {
  private readonly process: PQueue;
  private readonly keys = new Map<string, PQueue>();
  private started = 0;

  constructor(private readonly limits: FairConcurrencyLimits) {
    this.process = new PQueue({ concurrency: limits.concurrency });
  }

  /** Keys with tasks running or waiting: a key's queue is dropped once it is idle. */
  get busyKeys(): number {
    return this.keys.size;
  }

  /** Tasks started since the process began (a counter for tests and metrics). */
  get runs(): number {
    return this.started;
  }

  async run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const mine = this.keys.get(key) ?? this.open(key);
    if (mine.size >= this.limits.queuedPerKey) throw busy();
    // The wait alone is bounded: p-queue lets go of a task whose signal aborts even while it runs, so the timer stops once it starts.
    const waiting = new AbortController();
    const timer = setTimeout(() => waiting.abort(busy()), this.limits.waitMs);
    const started = () => {
      clearTimeout(timer);
      this.started += 1;
      return task();
    };
    const { signal } = waiting;
    try {
      return await mine.add(() => this.process.add(started, { signal }), { signal });
    } finally {
      clearTimeout(timer);
    }
  }

  private open(key: string): PQueue {
    const queue = new PQueue({ concurrency: this.limits.perKey });
    queue.on('idle', () => {
      if (this.keys.get(key) === queue) this.keys.delete(key);
    });
    this.keys.set(key, queue);
    return queue;
  }
}

function busy(): DomainError {
  return new DomainError(
    'server_busy',
    'Too many passwords are being checked at once; try again shortly',
    { retryAfterSeconds: 1 },
    {
      'Retry-After': '1',
    },
  );
}
