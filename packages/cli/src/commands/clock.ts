import { type Connection, ok } from '../api.js';
import { printJson, say } from '../output.js';

export async function showClock(api: Connection, options: { json?: boolean }): Promise<void> {
  const clock = await ok(api.secret.GET('/v1/sandbox/clock'));
  if (options.json) return printJson(clock);
  say(`${clock.now}  (${clock.offsetSeconds} s ahead of real time)`);
}

export async function advanceClock(api: Connection, seconds: number, options: { json?: boolean }): Promise<void> {
  const moved = await ok(api.secret.POST('/v1/sandbox/clock/advance', { body: { seconds } }));
  if (options.json) return printJson(moved);
  say(`${moved.now}  (+${seconds} s)`);
}
