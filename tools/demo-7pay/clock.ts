import type { WalletSandboxClient } from '@wallet-sandbox/client';
import { must } from './api.js';

const JST_OFFSET_MS = 9 * 3_600_000;

/** A time in Japan, where 7pay announced every date: `jst('2019-07-02 19:00')`. */
export function jst(dateTime: string): Date {
  return new Date(`${dateTime.replace(' ', 'T')}:00+09:00`);
}

/** `2019-07-02 19:00 JST` */
export function jstLabel(at: Date): string {
  return `${new Date(at.getTime() + JST_OFFSET_MS).toISOString().slice(0, 16).replace('T', ' ')} JST`;
}

/**
 * The replay's sandbox clock. It runs with real time from where it was last
 * read, so the demo knows sandbox time (token expiry, labels) without asking.
 */
export class SandboxClock {
  private sandboxMs = 0;
  private readAtMs = 0;

  /** `operator`: the api with the sandbox's secret key. */
  constructor(private readonly operator: WalletSandboxClient) {}

  now(): Date {
    return new Date(this.sandboxMs + (Date.now() - this.readAtMs));
  }

  label(): string {
    return jstLabel(this.now());
  }

  async read(): Promise<Date> {
    this.remember((await must(this.operator.GET('/v1/sandbox/clock'))).now);
    return this.now();
  }

  /** Moves sandbox time just past `at`; a time already passed leaves it where it is. */
  async advanceTo(at: Date): Promise<void> {
    const seconds = Math.ceil((at.getTime() - (await this.read()).getTime()) / 1000);
    if (seconds <= 0) return;
    this.remember((await must(this.operator.POST('/v1/sandbox/clock/advance', { body: { seconds } }))).now);
  }

  private remember(now: string): void {
    this.sandboxMs = Date.parse(now);
    this.readAtMs = Date.now();
  }
}
