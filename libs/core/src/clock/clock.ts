/**
 * The one place that reads the machine's clock. Domain code asks a
 * `SandboxTime` instead, so tests and demos can move a sandbox through time.
 */
export function systemNowMs(): number {
  return Date.now();
}

/** A sandbox's view of time: real time plus the sandbox's accumulated advance. */
export class SandboxTime {
  constructor(readonly offsetMs: number) {}

  nowMs(): number {
    return systemNowMs() + this.offsetMs;
  }

  now(): Date {
    return new Date(this.nowMs());
  }
}
