import { randomBytes } from 'node:crypto';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { ServiceProcess } from '../../tools/support/processes.js';
import { freePort } from '../../tools/support/ports.js';
import { type BareClaims, bareToken } from '../bare/service.js';
import type { DatabaseTopology } from '#core';
import { POOL_SIZE } from '../scenarios/scenario.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** The bare baseline service (bench/bare/service.ts), started as a process of its own on the bench database. */
export class BareService {
  private constructor(
    private readonly process: ServiceProcess,
    readonly baseUrl: string,
    private readonly key: string,
  ) {}

  static async start(databaseUrl: string, topology: DatabaseTopology): Promise<BareService> {
    const port = await freePort();
    const key = randomBytes(32).toString('base64url');
    const service = new BareService(
      ServiceProcess.start('bare baseline', ROOT, 'bench/bare/service.js', {
        PATH: process.env.PATH,
        DATABASE_URL: databaseUrl,
        DATABASE_TOPOLOGY: topology,
        POOL_SIZE: String(POOL_SIZE),
        PORT: String(port),
        NODE_ENV: 'production',
        BARE_JWT_KEY: key,
      }),
      `http://127.0.0.1:${port}`,
      key,
    );
    await service.waitUntilListening();
    return service;
  }

  get pid(): number | undefined {
    return this.process.pid;
  }

  /** A token the baseline takes for this customer's session. */
  token(claims: BareClaims): string {
    return bareToken(this.key, claims);
  }

  stop(): Promise<string> {
    return this.process.stop();
  }

  private async waitUntilListening(): Promise<void> {
    const deadline = Date.now() + 15_000;
    for (;;) {
      if (this.process.crash) throw new Error(`${this.process.crash}\n${this.process.tail()}`);
      const answered = await fetch(`${this.baseUrl}/wallet`).then(
        (response) => response.status,
        () => null,
      );
      if (answered === 401) return;
      if (Date.now() > deadline) throw new Error(`the bare baseline did not start\n${this.process.tail()}`);
      await sleep(100);
    }
  }
}
