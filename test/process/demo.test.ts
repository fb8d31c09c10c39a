import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { resolve } from 'node:path';
import { describe, expect, test } from '@jest/globals';
import pg from 'pg';

/** The built replay, as `npm run demo:7pay --` runs it: a sandbox, api and worker of its own. */
const demo = resolve('dist/tools/demo-7pay/main.js');

interface Run {
  code: number | null;
  pid: number;
  stdout: string;
  stderr: string;
}

/** On the run's PostgreSQL server and queue backend, as a developer's settings would name them. */
function run(args: string[]): Promise<Run> {
  const env = {
    PATH: process.env.PATH,
    DATABASE_URL: `${process.env.TEST_POSTGRES_SERVER}/postgres`,
    QUEUE_BACKEND: process.env.QUEUE_BACKEND,
    REDIS_URL: process.env.REDIS_URL,
    REDIS_CLUSTER_NODES: process.env.REDIS_CLUSTER_NODES,
  };
  const child = spawn(process.execPath, [demo, ...args], { cwd: tmpdir(), env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  return new Promise((done) => child.on('exit', (code) => done({ code, pid: child.pid as number, stdout, stderr })));
}

/** The report's row for a figure: its cells, split on runs of spaces. */
function cells(report: string, figure: string): string[] {
  const line = report.split('\n').find((l) => l.startsWith(figure));
  if (!line) throw new Error(`no row '${figure}' in the report:\n${report}`);
  return line
    .slice(figure.length)
    .trim()
    .split(/\s{2,}/);
}

describe('npm run demo:7pay', () => {
  test('replays 2019 from launch to the deadline and every figure of its report reconciles with the ledger', async () => {
    // 40 customers are enough for every chapter, victim, claim and refusal below to happen (the Replay room's test uses as many).
    const replay = await run(['--customers', '40', '--seed', '11']);
    expect({ code: replay.code, tail: replay.stderr.slice(-2_000) }).toEqual({
      code: 0,
      tail: expect.stringContaining('every figure reconciles'),
    });

    for (const chapter of [
      'Launch',
      'Sign-ups',
      'Stuffing wave 1',
      'Stuffing wave 2',
      'Card top-ups off',
      'Payment only',
      'Review',
      'Damage report',
      'Forced password reset',
      'Abolition notice',
      'Last weeks',
      'Service ends',
      'Refund claims',
      'Deadline',
    ]) {
      expect(replay.stderr).toContain(chapter);
    }
    // Only the travellers who changed phones abroad were held among the honest customers: no false positive.
    expect(replay.stderr).toMatch(/holds released \(0 on customers who did nothing unusual\)/);
    const report = replay.stdout;
    expect(report).not.toContain('✗');
    // The wave took accounts over and the victims were made whole, through the ledger.
    const [victims] = cells(report, 'fraud victims');
    expect(Number(victims)).toBeGreaterThan(0);
    const [reimbursed, fromLedger] = cells(report, 'reimbursed to victims');
    expect(fromLedger).toBe(reimbursed);
    // Claims were paid, and what nobody claimed is what the wallets still hold.
    expect(Number(cells(report, 'refund claims paid')[0])).toBeGreaterThan(0);
    const [unclaimed] = cells(report, 'unclaimed');
    expect(cells(report, 'outstanding in wallets').slice(0, 2)).toEqual([unclaimed, unclaimed]);
    expect(cells(report, 'ledger reconciliation')).toEqual(['ok', 'Σ postings 0', '—', '✓']);
    // Each suspension was met by the customers who tried.
    for (const refusal of [
      'card top-up: service_suspended',
      'registration: service_suspended',
      'abolition notice: notice_period_too_short',
      'refund claim: identity_mismatch',
      'payment code: service_suspended',
      'sign-in: service_suspended',
    ]) {
      expect(replay.stderr).toContain(refusal);
    }

    expect(replay.stderr).toContain(`queues on ${process.env.QUEUE_BACKEND === 'redis' ? 'Redis' : 'PostgreSQL'}`);
    // It leaves nothing behind: its database is gone.
    const admin = new pg.Client({ connectionString: `${process.env.TEST_POSTGRES_SERVER}/postgres` });
    await admin.connect();
    try {
      const { rows } = await admin.query(`SELECT 1 FROM pg_database WHERE datname = $1`, [`wallet_sandbox_demo_${replay.pid}`]);
      expect(rows).toEqual([]);
    } finally {
      await admin.end();
    }
  }, 300_000);
});
