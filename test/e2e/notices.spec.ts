import { expect, test } from '@jest/globals';
import { ALL_SANDBOXES, Notices, SandboxChanges } from '#core';
import { useHarness } from '../support/harness.js';
import { cutNoticeSubscriptions } from '../support/redis.js';

// The api and the worker are two Nest applications here, each with its own notice connection, as two processes have.
const h = useHarness();

async function until(condition: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Cuts every notice connection of this run from the server's side, as a network failure or a restart would. */
async function cutNoticeConnections(): Promise<void> {
  if (process.env.QUEUE_BACKEND === 'redis') {
    expect(await cutNoticeSubscriptions(process.env.QUEUE_PREFIX as string)).toBeGreaterThan(0);
    return;
  }
  const cut = await h.db.rows(
    `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'wallet-sandbox-notices' AND datname = current_database()`,
  );
  expect(cut.length).toBeGreaterThan(0);
}

test(`a notice one process publishes reaches the other; a process that lost its connection forgets every sandbox's cache, then hears again (${process.env.QUEUE_BACKEND})`, async () => {
  const heard: string[] = [];
  let missed = 0;
  await h.worker!.get(Notices).subscribe('sandbox-changed', { message: (payload) => heard.push(payload), missed: () => missed++ });
  const forgotten: string[] = [];
  h.worker!.get(SandboxChanges).onChange((sandboxId) => forgotten.push(sandboxId));

  await h.api.get(SandboxChanges).announce('sbx_first');
  await until(() => heard.includes('sbx_first') && forgotten.includes('sbx_first'), 'the first notice');

  await cutNoticeConnections();
  await until(() => missed > 0, 'telling the listener it may have missed notices');
  expect(forgotten).toContain(ALL_SANDBOXES);

  // Sent until heard: the listener may be told of the loss a moment before its subscription is back.
  for (let i = 0; i < 50 && !heard.includes('sbx_after'); i++) {
    await h.api.get(SandboxChanges).announce('sbx_after');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  expect(heard).toContain('sbx_after');
});
