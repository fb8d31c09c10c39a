import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { Database, DomainError } from '#core';
import type { ReplayView } from './replay-view.js';
import { type ReplayPace, ReplaysRepository } from './replays.repository.js';
import { AttachReplay } from './usecases/attach-replay.js';
import { CreateSandbox, type CreatedSandbox } from './usecases/create-sandbox.js';

/** `npm run build` puts the demo beside the compiled api: dist/tools/demo-7pay/main.js. */
export const REPLAY_RUNNER = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'tools', 'demo-7pay', 'main.js');
/** 7pay opened on 2019-07-01; the replay's sandbox starts that morning, before the stores open (05:00 JST). */
const REPLAY_CLOCK_STARTS_AT = new Date('2019-07-01T05:00:00+09:00');
const DEFAULT_SEED = 2019;
/** What is kept of the runner's error output, to say why it failed. */
const TAIL_CHARS = 1_500;

/**
 * Starts the replay of 2019 from the console: a new `legacy-2019` sandbox
 * that takes its customers' IPs from Sandbox-Client-Ip, and the demo as a
 * child of the api attached to it (keys in its environment, never in its
 * arguments). It runs whatever the page does; one at a time per api process.
 */
@Injectable()
export class ReplayRunner implements OnModuleDestroy {
  private readonly logger = new Logger(ReplayRunner.name);
  private child: ChildProcess | null = null;

  constructor(
    private readonly db: Database,
    private readonly createSandbox: CreateSandbox,
    private readonly attachReplay: AttachReplay,
    private readonly records: ReplaysRepository,
    private readonly http: HttpAdapterHost,
  ) {}

  async start(input: { customers: number; seed?: number; pace: ReplayPace }): Promise<{ sandbox: CreatedSandbox; replay: ReplayView }> {
    if (!existsSync(REPLAY_RUNNER)) {
      throw new DomainError('service_unavailable', 'The replay runner is not built: run npm run build, then start the api again');
    }
    if (this.child)
      throw new DomainError('replay_running', 'A replay started from the console is still running; watch it, or wait for its end');
    const sandbox = await this.createSandbox.execute({
      name: `7pay 2019 (${input.customers} customers)`,
      securityProfile: 'legacy-2019',
      clockStartsAt: REPLAY_CLOCK_STARTS_AT,
      simulatedClientIps: true,
    });
    const seed = input.seed ?? DEFAULT_SEED;
    const replay = await this.attachReplay.execute(sandbox.id, { customers: input.customers, seed, pace: input.pace });
    this.spawn(sandbox, { customers: input.customers, seed, pace: input.pace });
    return { sandbox, replay };
  }

  onModuleDestroy(): void {
    this.child?.kill('SIGTERM');
  }

  private spawn(sandbox: CreatedSandbox, replay: { customers: number; seed: number; pace: ReplayPace }): void {
    const args = [
      '--attach',
      this.baseUrl(),
      '--customers',
      String(replay.customers),
      '--seed',
      String(replay.seed),
      '--pace',
      replay.pace,
    ];
    const child = spawn(process.execPath, [REPLAY_RUNNER, ...args], {
      env: {
        ...process.env,
        REPLAY_SANDBOX_ID: sandbox.id,
        REPLAY_SECRET_KEY: sandbox.secretKey,
        REPLAY_PUBLISHABLE_KEY: sandbox.publishableKey,
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    this.child = child;
    let tail = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      tail = (tail + chunk.toString()).slice(-TAIL_CHARS);
    });
    child.on('error', (error) => {
      tail += `\n${error.message}`;
    });
    child.on('close', (code, signal) => {
      this.child = null;
      if (code !== 0) this.logger.warn(`the replay on ${sandbox.id} ended with ${signal ?? `code ${code}`}`);
      void this.markFailed(
        sandbox.id,
        `the runner stopped (${signal ?? `exit code ${code}`}): ${tail.trim().split('\n').slice(-3).join(' ')}`,
      );
    });
  }

  /** A runner that ended without saying how leaves its replay failed, not running for ever. */
  private async markFailed(sandboxId: string, failure: string): Promise<void> {
    try {
      await this.db.transaction(async (tx) => {
        const current = await this.records.find(tx, sandboxId, true);
        if (current?.status === 'running') await this.records.update(tx, sandboxId, { status: 'failed', failure: failure.slice(0, 2_000) });
      });
    } catch (error) {
      this.logger.warn(`could not record the end of the replay on ${sandboxId}: ${String(error)}`);
    }
  }

  /** The api as the child reaches it: this process's own listening port, on loopback. */
  private baseUrl(): string {
    const address = this.http.httpAdapter.getHttpServer().address() as AddressInfo;
    const host =
      address.family === 'IPv6'
        ? address.address === '::'
          ? '[::1]'
          : `[${address.address}]`
        : address.address === '0.0.0.0'
          ? '127.0.0.1'
          : address.address;
    return `http://${host}:${address.port}`;
  }
}
