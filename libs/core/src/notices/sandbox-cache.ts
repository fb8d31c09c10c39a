import { type SandboxChanges, forgetSandbox } from './sandbox-changes.js';

/**
 * Per-sandbox facts a process keeps until the sandbox announces a change
 * (see SandboxChanges): settings, schedules. A load that raced a change is
 * returned but not kept, so a stale value never outlives the announcement.
 */
export class SandboxCache<T> {
  private readonly entries = new Map<string, T>();
  private generation = 0;

  constructor(
    changes: SandboxChanges,
    private readonly load: (sandboxId: string) => Promise<T>,
    private readonly maxEntries = 1_000,
  ) {
    changes.onChange((sandboxId) => {
      this.generation++;
      forgetSandbox(this.entries, sandboxId);
    });
  }

  async get(sandboxId: string): Promise<T> {
    const cached = this.entries.get(sandboxId);
    if (cached !== undefined) return cached;
    const generation = this.generation;
    const value = await this.load(sandboxId);
    if (generation !== this.generation) return value;
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(sandboxId, value);
    return value;
  }
}
