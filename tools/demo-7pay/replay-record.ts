import type { Schemas, WalletSandboxClient } from '@wallet-sandbox/client';
import { must } from './api.js';
import { stolen } from './attack.js';
import type { ChapterWatcher } from './progress.js';
import type { Row } from './report.js';
import type { World } from './world.js';

export type Pace = 'fast' | 'presenter';
/** A presenter's pause after each chapter, so an audience can follow on screen. */
const PRESENTER_PAUSE_MS = 4_000;
/** How often the replay's record is brought up to date: the console reads it about every second. */
const EVERY_MS = 1_000;

interface Counters {
  signUps: number;
  victims: number;
  damage: number;
  refundsPaid: number;
  unclaimed: number;
}

interface Point {
  at: string;
  damage: number;
  refundsPaid: number;
  unclaimed: number;
}

/**
 * The replay's record on the sandbox (GET /v1/sandbox/replay), kept up to
 * date for the console: the chapter, the sandbox date, the counters and a
 * chart point whenever the sandbox date moved; at the end the report and
 * whether every figure reconciled.
 */
export class ReplayRecord implements ChapterWatcher {
  private world: World | null = null;
  private chapter: string | null = null;
  private lastPointAt = '';
  private timer: NodeJS.Timeout | null = null;
  private sending: Promise<void> = Promise.resolve();

  /** `operator`: the api with the replay sandbox's secret key. */
  constructor(
    private readonly operator: WalletSandboxClient,
    private readonly pace: Pace,
  ) {}

  /** Records a replay the console did not start (the CLI's --attach); a replay the api started is recorded already. */
  async open(replay: { customers: number; seed: number }): Promise<void> {
    await must(this.operator.POST('/v1/sandbox/replay', { body: { ...replay, pace: this.pace } }));
  }

  follow(world: World): void {
    this.world = world;
    this.timer = setInterval(() => this.send('running'), EVERY_MS);
  }

  started(title: string): void {
    this.chapter = title;
    this.send('running');
  }

  async ended(): Promise<void> {
    this.send('running');
    if (this.pace === 'presenter') await new Promise((resolve) => setTimeout(resolve, PRESENTER_PAUSE_MS));
  }

  async finish(rows: Row[]): Promise<void> {
    this.stop();
    await this.sending;
    await this.post({ ...this.state(), status: 'completed', report: rows });
  }

  async fail(error: unknown): Promise<void> {
    this.stop();
    await this.sending;
    const failure = (error instanceof Error ? error.message : String(error)).slice(0, 2_000);
    await this.post({ status: 'failed', failure }).catch(() => undefined);
  }

  private stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** One update at a time, in order; a missed one is made good by the next. */
  private send(status: 'running'): void {
    const next = { ...this.state(), status };
    this.sending = this.sending.then(() => this.post(next).catch(() => undefined));
  }

  private state(): { chapter?: string; sandboxAt?: string; counters?: Counters; points?: Point[] } {
    const w = this.world;
    if (!w) return this.chapter ? { chapter: this.chapter } : {};
    const at = w.clock.now().toISOString();
    const counters = countersOf(w);
    const moved = at.slice(0, 16) !== this.lastPointAt.slice(0, 16);
    if (moved) this.lastPointAt = at;
    return {
      ...(this.chapter ? { chapter: this.chapter } : {}),
      sandboxAt: at,
      counters,
      ...(moved ? { points: [{ at, damage: counters.damage, refundsPaid: counters.refundsPaid, unclaimed: counters.unclaimed }] } : {}),
    };
  }

  private async post(body: Schemas['ReplayProgressBody']): Promise<void> {
    await must(this.operator.POST('/v1/sandbox/replay/progress', { body }));
  }
}

/** The figures the console shows as the story goes, from the replay's own book. */
function countersOf(w: World): Counters {
  const { book } = w;
  return {
    signUps: book.customers,
    victims: book.thefts.size,
    damage: stolen(w),
    refundsPaid: book.claims.paid.yen + book.claims.caseByCase.yen,
    unclaimed: Math.max(0, book.total()),
  };
}
