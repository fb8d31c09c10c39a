import { randomInt } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type pg from 'pg';
import { Environment, newId } from '#core';
import { SystemAccount } from '#ledger';
import type { PayoutRunRow } from '../../libs/lifecycle/src/payout-runs.repository.js';
import { BOUNCING_ACCOUNT_NUMBER } from '../../libs/lifecycle/src/refund-claims.js';
import type { Reconciliation, Sandbox } from '../support/api.js';
import { type CpuUse, cpuPerOperation, cpuShare, describeCpu } from '../support/cpu.js';
import { memoryBound } from '../support/bounds.js';
import { MemoryWatch, type MemoryUse, groupMemoryStatus } from '../support/memory.js';
import { say, startBar } from '../../tools/support/progress.js';
import { RefundClaimSupply, SEAL_PURPOSE } from '../support/refund-claims.js';
import { type ScenarioResult, metric } from '../support/report.js';
import { type BenchContext, RSS_GOAL_MB, type Scenario, type SideName, interleave, sandboxClock } from './scenario.js';

/** Wallets paid by the measured run (--refund-wallets N); a smoke run pays fewer. */
export const REFUND_WALLETS = { full: 100_000, quick: 10_000 };
/** The smaller size, against which memory and speed as N grows are read: N / SMALL_FRACTION. */
const SMALL_FRACTION = 10;
/** 2,500 wallets a second: 1.5 million in 10 minutes. */
const GOAL_PER_SECOND = 2_500;
/** The worker's run may add this much to the raw SQL's time: at least 0.3 of its throughput. */
const GOAL_RATIO = 0.3;
/** "Flat": the peak over the whole run at most this many times the peak while its first half was paid. */
const FLAT_MEMORY = 1.25;
/** The worker's batch size: the bench starts it with the default. */
const PAYOUT_BATCH = new Environment().PAYOUT_BATCH_SIZE;

/**
 * 7pay's dates: the sandbox's clock starts on the day of the abolition
 * notice (2019-08-01), the service ends at 2019-09-30 24:00 JST, claims are
 * taken until 2020-01-10 24:00 JST. Wallets are funded on the first day.
 */
const NOTICE_DAY = '2019-08-01T00:00:00+09:00';
const TERMINATION_AT = '2019-09-30T15:00:00Z';
const CLAIMS_UNTIL = '2020-01-10T15:00:00Z';

/** How often the runner reads the run's row while it runs; how long without a new batch counts as stuck. */
const POLL_MS = 50;
const STALL_MS = 60_000;
/** Reports over every wallet of the campaign's sandbox take a while once it holds millions of rows. */
const REPORT_TIMEOUT_MS = 600_000;

interface Campaign {
  sandbox: Sandbox;
  now: () => Date;
  fundedAt: Date;
}

/** One payout of a set of claims, by the worker's run or by the raw SQL. */
interface Payout {
  wallets: number;
  amount: number;
  batches: number;
  /** From the run's start to its completion (for the worker: the run row's started_at and finished_at). */
  seconds: number;
  /** From each batch to the next (see batchTimes), ms. */
  batchMs: { firstTenth: number; lastTenth: number; max: number };
}

interface WorkerPayout extends Payout {
  runId: string;
  bounced: number;
  held: number;
  /** From sending POST /v1/payout-runs to the runner's poll seeing `completed`. */
  seenSeconds: number;
  /** From the run's start to the first batch's stamp. */
  firstBatchAfterMs: number;
  memory: MemoryUse;
  /** The highest RSS sampled while the first half of the claims was being paid, MB: against the whole run's peak, memory as N grows. */
  firstHalfPeakMb: number | null;
}

/**
 * A sandbox of its own for the campaign, put in its refund window through
 * the api: its clock starts on 7pay's notice day, the operator announces
 * abolition with 7pay's dates, and the clock is moved just past the end of
 * the service. The other scenarios' sandbox keeps taking payments, and the
 * campaign's reports and reconciliation cover its wallets alone.
 */
async function openCampaign(context: BenchContext): Promise<Campaign> {
  const { api } = context;
  const sandbox = await api.post<Sandbox>('/v1/sandboxes', context.adminToken, {
    name: 'bench refund campaign',
    clockStartsAt: NOTICE_DAY,
  });
  await api.post('/v1/service/transitions', sandbox.secretKey, {
    to: 'abolition_announced',
    reason: 'benchmark: the refund campaign',
    terminationAt: TERMINATION_AT,
    refundClaimsUntil: CLAIMS_UNTIL,
  });
  const clock = await api.get<{ now: string }>('/v1/sandbox/clock', sandbox.secretKey);
  const seconds = Math.ceil((Date.parse(TERMINATION_AT) - Date.parse(clock.now)) / 1000) + 60;
  await api.post('/v1/sandbox/clock/advance', sandbox.secretKey, { seconds });
  const service = await api.get<{ phase: string }>('/v1/service', sandbox.secretKey);
  if (service.phase !== 'refund_window') throw new Error(`the campaign's sandbox is in ${service.phase}, not refund_window`);
  say(`  sandbox ${sandbox.id} in its refund window`);
  return { sandbox, now: await sandboxClock(context.pool, sandbox.id), fundedAt: new Date(NOTICE_DAY) };
}

/**
 * The time from each batch to the next: each batch stamps its claims' paid_at
 * as it starts, and the last one the run's finished_at. Mean over the first
 * and the last tenth of a payout's batches, and the longest, ms.
 */
async function batchTimes(pool: pg.Pool, sandboxId: string, from: Date, until: Date): Promise<Payout['batchMs']> {
  const { rows } = await pool.query<{ at: Date }>(
    `SELECT DISTINCT paid_at AS at FROM lifecycle_refund_claims WHERE sandbox_id = $1 AND paid_at >= $2 ORDER BY at`,
    [sandboxId, from],
  );
  const stamps = [...new Set([...rows.map((r) => r.at.getTime()), until.getTime()])];
  const gaps = stamps.slice(1).map((t, i) => t - stamps[i]);
  if (gaps.length === 0) return { firstTenth: Number.NaN, lastTenth: Number.NaN, max: Number.NaN };
  const tenth = Math.max(1, Math.floor(gaps.length / 10));
  const mean = (xs: number[]): number => Math.round((xs.reduce((a, b) => a + b, 0) / xs.length) * 10) / 10;
  return { firstTenth: mean(gaps.slice(0, tenth)), lastTenth: mean(gaps.slice(-tenth)), max: Math.max(...gaps) };
}

/**
 * The subject: POST /v1/payout-runs, then the worker's run (a job per batch
 * of 1,000 claims) until the run row says `completed`, read every POLL_MS.
 * The worker's peak resident memory is watched over the run.
 */
async function workerPayout(context: BenchContext, campaign: Campaign, expected: number): Promise<WorkerPayout> {
  const { pool } = context;
  const sandboxId = campaign.sandbox.id;
  const memory = new MemoryWatch(context.workerPid);
  const bar = startBar(`payout run (${expected.toLocaleString('en-US')})`, expected);
  const sent = performance.now();
  const started = await context.api.post<{ id: string }>('/v1/payout-runs', campaign.sandbox.secretKey, {});
  let row: PayoutRunRow | undefined;
  let progressAt = performance.now();
  let firstHalfPeakMb: number | null = null;
  let lastBatches = -1;
  try {
    for (;;) {
      ({
        rows: [row],
      } = await pool.query<PayoutRunRow>(`SELECT * FROM lifecycle_payout_runs WHERE sandbox_id = $1 AND id = $2`, [sandboxId, started.id]));
      if (row.status === 'completed') break;
      if (row.batches !== lastBatches) [lastBatches, progressAt] = [row.batches, performance.now()];
      const rss = groupMemoryStatus(context.workerPid)?.rssMb;
      if (rss === undefined) throw new Error('the worker stopped during the payout run');
      if (row.paid < expected / 2) firstHalfPeakMb = Math.max(firstHalfPeakMb ?? 0, rss);
      if (performance.now() - progressAt > STALL_MS) throw new Error(`the payout run made no batch for ${STALL_MS / 1000} s`);
      bar.update(row.paid, `${row.paid.toLocaleString('en-US')} paid, ${row.batches} batches`);
      await sleep(POLL_MS);
    }
  } finally {
    bar.stop(row ? `${row.paid.toLocaleString('en-US')} paid, ${row.batches} batches` : undefined);
  }
  const seenSeconds = (performance.now() - sent) / 1000;
  const finishedAt = row.finished_at as Date;
  const [first] = (
    await pool.query<{ at: Date | null }>(
      `SELECT min(paid_at) AS at FROM lifecycle_refund_claims WHERE sandbox_id = $1 AND paid_at >= $2`,
      [sandboxId, row.started_at],
    )
  ).rows;
  return {
    runId: row.id,
    wallets: row.paid,
    amount: Number(row.amount),
    batches: row.batches,
    bounced: row.bounced,
    held: row.held,
    seconds: (finishedAt.getTime() - row.started_at.getTime()) / 1000,
    seenSeconds,
    firstBatchAfterMs: first.at ? first.at.getTime() - row.started_at.getTime() : Number.NaN,
    batchMs: await batchTimes(pool, sandboxId, row.started_at, finishedAt),
    memory: memory.stop(),
    firstHalfPeakMb: firstHalfPeakMb === null ? null : Math.round(firstHalfPeakMb * 10) / 10,
  };
}

/*
 * The baseline: PayoutRuns.payBatch's statements, sent straight over one pg
 * connection, a transaction per batch of PAYOUT_BATCH claims, one batch
 * after the other as the worker's jobs go. The same JavaScript per claim
 * (the sealed bank account opened to look for the bouncing number, the
 * events' and e-mails' contents); no queue, no Nest, no TypeORM.
 */
const SERIALIZE = `SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`;
const LOCK_RUN = `SELECT * FROM lifecycle_payout_runs WHERE sandbox_id = $1 AND id = $2 FOR UPDATE`;
const DUE = `
  SELECT id, wallet_id, user_id, method, bank_account, contact_email, amount, payouts FROM lifecycle_refund_claims
   WHERE sandbox_id = $1 AND status = 'submitted' AND deferred_run IS DISTINCT FROM $2 ORDER BY id LIMIT $3 FOR UPDATE`;
const PAY = `SELECT * FROM ledger_payout_batch($1, $2, $3, $4, $5, $6, $7)`;
const MARK_PAID = `
  UPDATE lifecycle_refund_claims c SET status = 'paid', paid_amount = c.paid_amount + u.amount,
         payouts = c.payouts + CASE WHEN u.amount > 0 THEN 1 ELSE 0 END, slip_number = COALESCE(c.slip_number, u.slip), failure_code = NULL,
         deferred_run = NULL, paid_at = $2, updated_at = $2
    FROM unnest($3::text[], $4::bigint[], $5::text[]) AS u(id, amount, slip)
   WHERE c.sandbox_id = $1 AND c.id = u.id`;
const MARK_BOUNCED = `UPDATE lifecycle_refund_claims SET status = 'bounced', failure_code = 'account_not_found', updated_at = $2
   WHERE sandbox_id = $1 AND id = ANY ($3::text[])`;
const MARK_DEFERRED = `UPDATE lifecycle_refund_claims SET deferred_run = $2 WHERE sandbox_id = $1 AND id = ANY ($3::text[])`;
const EVENTS = `
  INSERT INTO outbox_events (id, sandbox_id, type, data, request_id, occurred_at)
  SELECT unnest($1::text[]), $2, $3, unnest($4::jsonb[]), NULL, $5`;
const MESSAGES = `
  INSERT INTO sandbox_messages (id, sandbox_id, channel, recipient, subject, body, created_at)
  SELECT m.id, $1, 'email', m.recipient, 'Your refund was paid', m.body, $2 FROM unnest($3::text[], $4::text[], $5::text[]) AS m(id, recipient, body)`;
const COUNT_BATCH = `
  UPDATE lifecycle_payout_runs SET batches = batches + 1, paid = paid + $3, amount = amount + $4, bounced = bounced + $5, held = held + $6,
         more_work = false, status = CASE WHEN $7 THEN 'completed' ELSE status END, finished_at = CASE WHEN $7 THEN $8::timestamptz END
   WHERE sandbox_id = $1 AND id = $2 RETURNING *`;

interface DueClaim {
  id: string;
  wallet_id: string;
  user_id: string | null;
  method: 'bank_transfer' | 'postal_payout';
  bank_account: string | null;
  contact_email: string | null;
  amount: string;
  payouts: number;
}

/** One batch as PayoutRuns.payBatch does it; true while there is more. */
async function rawBatch(client: pg.PoolClient, context: BenchContext, sandboxId: string, runId: string, now: Date): Promise<boolean> {
  await client.query(SERIALIZE, [`payout-runs/${sandboxId}`]);
  const run = (await client.query<PayoutRunRow>(LOCK_RUN, [sandboxId, runId])).rows[0];
  const due = (await client.query<DueClaim>(DUE, [sandboxId, runId, PAYOUT_BATCH])).rows;
  const accountNumber = (id: string, sealed: string): string =>
    (JSON.parse(context.secrets.open(SEAL_PURPOSE, { sandboxId, id }, sealed)) as { accountNumber: string }).accountNumber;
  const bounces = due.filter(
    (c) => c.method === 'bank_transfer' && c.bank_account && accountNumber(c.id, c.bank_account) === BOUNCING_ACCOUNT_NUMBER,
  );
  const payable = due.filter((c) => !bounces.includes(c));
  const results = new Map<string, { outcome: string; transferId: string | null; amount: number }>();
  if (payable.length > 0) {
    const { rows } = await client.query<{ o_wallet: string; o_outcome: string; o_transfer_id: string | null; o_amount: string }>(PAY, [
      sandboxId,
      payable.map((c) => c.wallet_id),
      payable.map(() => newId('trf')),
      payable.map((c) => `refund_payout/${c.id}/${c.payouts + 1}`),
      SystemAccount.RefundPayouts,
      'payout',
      now,
    ]);
    for (const r of rows) results.set(r.o_wallet, { outcome: r.o_outcome, transferId: r.o_transfer_id, amount: Number(r.o_amount) });
  }
  const held = payable.filter((c) => results.get(c.wallet_id)?.outcome === 'wallet_on_hold');
  const paid = payable.filter((c) => !held.includes(c));
  const paidAmount = (c: DueClaim): number => results.get(c.wallet_id)?.amount ?? 0;
  const slips = new Map(paid.filter((c) => c.method === 'postal_payout').map((c) => [c.id, String(randomInt(10 ** 11, 10 ** 12))]));
  await client.query(MARK_PAID, [sandboxId, now, paid.map((c) => c.id), paid.map(paidAmount), paid.map((c) => slips.get(c.id) ?? null)]);
  await client.query(MARK_BOUNCED, [sandboxId, now, bounces.map((c) => c.id)]);
  await client.query(MARK_DEFERRED, [sandboxId, runId, held.map((c) => c.id)]);
  if (paid.length > 0) {
    const events = paid.map((c) => ({
      claimId: c.id,
      walletId: c.wallet_id,
      userId: c.user_id,
      method: c.method,
      amount: Number(c.amount),
      paidAmount: paidAmount(c),
      transferId: results.get(c.wallet_id)?.transferId ?? '',
      runId,
    }));
    await client.query(EVENTS, [events.map(() => newId('evt')), sandboxId, 'refund_claim.paid', events.map((e) => JSON.stringify(e)), now]);
    const mailed = paid.filter((c) => c.contact_email && paidAmount(c) > 0);
    await client.query(MESSAGES, [
      sandboxId,
      now,
      mailed.map(() => newId('msg')),
      mailed.map((c) => c.contact_email),
      mailed.map((c) => {
        const slip = slips.get(c.id);
        const how = slip
          ? `Your postal payout slip number is ${slip}: cash it at any post office.`
          : 'It was transferred to your bank account.';
        return `Your refund claim ${c.id} was paid: ¥${paidAmount(c).toLocaleString('en-US')}. ${how}`;
      }),
    ]);
  }
  const finished = due.length < PAYOUT_BATCH && !run.more_work;
  const amount = paid.reduce((sum, c) => sum + paidAmount(c), 0);
  const after = (
    await client.query<PayoutRunRow>(COUNT_BATCH, [sandboxId, runId, paid.length, amount, bounces.length, held.length, finished, now])
  ).rows[0];
  if (finished) {
    const { batches, bounced } = after;
    const data = { runId, batches, paid: after.paid, amount: Number(after.amount), bounced, held: after.held };
    await client.query(EVENTS, [[newId('evt')], sandboxId, 'refund_payout.run_completed', [JSON.stringify(data)], now]);
  }
  return !finished;
}

/** The raw SQL payout of every submitted claim: a run row of its own (no run_started event, which would start the worker), then batches until done. */
async function rawPayout(context: BenchContext, campaign: Campaign, expected: number): Promise<Payout> {
  const sandboxId = campaign.sandbox.id;
  const runId = newId('prn');
  const startedAt = campaign.now();
  const bar = startBar(`raw SQL payout (${expected.toLocaleString('en-US')})`, expected);
  let batches = 0;
  const client = await context.pool.connect();
  try {
    await client.query(
      `INSERT INTO lifecycle_payout_runs (sandbox_id, id, status, trigger, started_at) VALUES ($1, $2, 'running', 'bench_raw_sql', $3)`,
      [sandboxId, runId, startedAt],
    );
    for (let more = true; more; batches += 1) {
      await client.query('BEGIN');
      try {
        more = await rawBatch(client, context, sandboxId, runId, campaign.now());
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw error;
      }
      bar.update(batches * PAYOUT_BATCH, `${batches + 1} batches`);
    }
  } finally {
    client.release();
    bar.stop(`${batches} batches`);
  }
  const run = (
    await context.pool.query<PayoutRunRow>(`SELECT * FROM lifecycle_payout_runs WHERE sandbox_id = $1 AND id = $2`, [sandboxId, runId])
  ).rows[0];
  const finishedAt = run.finished_at as Date;
  return {
    wallets: run.paid,
    amount: Number(run.amount),
    batches: run.batches,
    seconds: (finishedAt.getTime() - startedAt.getTime()) / 1000,
    batchMs: await batchTimes(context.pool, sandboxId, startedAt, finishedAt),
  };
}

interface Comparison {
  size: number;
  subject: WorkerPayout[];
  baseline: Payout[];
  subjectCpu: CpuUse;
  baselineCpu: CpuUse;
}

/** Wallets per second over several payouts. */
const rate = (payouts: Payout[]): number => payouts.reduce((sum, p) => sum + p.wallets, 0) / payouts.reduce((sum, p) => sum + p.seconds, 0);
const seconds = (payouts: Payout[]): number => payouts.reduce((sum, p) => sum + p.seconds, 0);

/**
 * `size` wallets paid by the worker's run and `size` by the raw SQL, each
 * payout on claims prepared for it just before (a payout consumes them):
 * the subject in one run, the baseline in `order`'s halves around it.
 */
async function compare(
  context: BenchContext,
  campaign: Campaign,
  supply: RefundClaimSupply,
  size: number,
  order: readonly SideName[],
): Promise<Comparison> {
  const baselineParts = order.filter((side) => side === 'baseline').length;
  const parts = Array.from(
    { length: baselineParts },
    (_, i) => Math.floor((size * (i + 1)) / baselineParts) - Math.floor((size * i) / baselineParts),
  );
  let pending = 0;
  const sides = await interleave(
    context,
    size,
    {
      prepare: async (side) => {
        pending = side === 'subject' ? size : (parts.shift() as number);
        await supply.prepare(pending, campaign.fundedAt, campaign.now());
      },
      subject: () => workerPayout(context, campaign, pending),
      baseline: () => rawPayout(context, campaign, pending),
    },
    order,
  );
  const label = size.toLocaleString('en-US');
  say(`  CPU, % of one core, ${label}: run ${describeCpu(sides.subject.cpu)}; raw SQL ${describeCpu(sides.baseline.cpu)}`);
  return {
    size,
    subject: sides.subject.runs,
    baseline: sides.baseline.runs,
    subjectCpu: sides.subject.cpu,
    baselineCpu: sides.baseline.cpu,
  };
}

/** What the campaign's sandbox says once every payout is done. */
interface Outcome {
  claims: number;
  unpaid: number;
  misPaid: number;
  walletsLeft: number;
  balanceLeft: number;
  refundReport: {
    reconciles: { balances: boolean; payouts: boolean };
    refunded: number;
    refundedCount: number;
    claims: Record<string, number>;
  };
  reconciliation: Reconciliation;
}

async function outcome(context: BenchContext, campaign: Campaign): Promise<Outcome> {
  const { pool, api } = context;
  const { id, secretKey } = campaign.sandbox;
  const claims = (
    await pool.query<{ claims: number; unpaid: number; mispaid: number }>(
      `SELECT count(*)::int AS claims, count(*) FILTER (WHERE status <> 'paid')::int AS unpaid,
              count(*) FILTER (WHERE paid_amount <> amount)::int AS mispaid FROM lifecycle_refund_claims WHERE sandbox_id = $1`,
      [id],
    )
  ).rows[0];
  const wallets = (
    await pool.query<{ left: number; balance: string | null }>(
      `SELECT count(*) FILTER (WHERE balance <> 0)::int AS left, sum(balance) AS balance FROM ledger_accounts WHERE sandbox_id = $1 AND kind = 'wallet'`,
      [id],
    )
  ).rows[0];
  const report = await api.get<Outcome['refundReport']>('/v1/reports/refunds', secretKey, {}, REPORT_TIMEOUT_MS);
  const reconciliation = await api.get<Reconciliation>('/v1/reports/reconciliation', secretKey, {}, REPORT_TIMEOUT_MS);
  say(
    `  campaign: ${claims.claims.toLocaleString('en-US')} claims, ${claims.unpaid} not paid, ${wallets.left} wallets with a balance; ` +
      `refund report reconciles ${JSON.stringify(report.reconciles)}; ledger reconciliation ok=${reconciliation.ok}`,
  );
  return {
    claims: claims.claims,
    unpaid: claims.unpaid,
    misPaid: claims.mispaid,
    walletsLeft: wallets.left,
    balanceLeft: Number(wallets.balance ?? 0),
    refundReport: { reconciles: report.reconciles, refunded: report.refunded, refundedCount: report.refundedCount, claims: report.claims },
    reconciliation,
  };
}

const cpuDetails = (use: CpuUse, wallets: number) => ({ percentOfOneCore: cpuShare(use), msPerWallet: cpuPerOperation(use, wallets) });

const comparisonDetails = (c: Comparison) => ({
  wallets: c.size,
  run: { runs: c.subject, walletsPerSecond: Math.round(rate(c.subject)), cpu: cpuDetails(c.subjectCpu, c.size) },
  rawSql: { parts: c.baseline, walletsPerSecond: Math.round(rate(c.baseline)), cpu: cpuDetails(c.baselineCpu, c.size) },
});

async function run(context: BenchContext): Promise<ScenarioResult> {
  const size = context.refundWallets ?? REFUND_WALLETS[context.quick ? 'quick' : 'full'];
  const small = Math.max(PAYOUT_BATCH, Math.round(size / SMALL_FRACTION));
  const campaign = await openCampaign(context);
  const supply = new RefundClaimSupply(context.pool, campaign.sandbox.id, context.secrets);

  // The smaller size first, raw SQL then run: it also warms both paths (JIT, pools, plans) before the measured size.
  const smaller = await compare(context, campaign, supply, small, ['baseline', 'subject']);
  // The measured size: the run pays all N at once, between two raw SQL halves of N / 2.
  const measured = await compare(context, campaign, supply, size, ['baseline', 'subject', 'baseline']);
  await context.settle();
  const end = await outcome(context, campaign);

  const runs = [...smaller.subject, ...measured.subject];
  const expected = [smaller, measured].flatMap((c) => c.subject.map((r) => ({ expected: c.size, r })));
  const peak = (c: Comparison): number => Math.max(...c.subject.map((r) => r.memory.peakMb ?? Number.NaN));
  const firstHalfPeak = (c: Comparison): number => Math.max(...c.subject.map((r) => r.firstHalfPeakMb ?? Number.NaN));
  const problems = [
    ...expected
      .filter(({ expected: n, r }) => r.wallets !== n)
      .map(({ expected: n, r }) => `run ${r.runId} paid ${r.wallets} of ${n} claims`),
    ...runs.filter((r) => r.bounced + r.held > 0).map((r) => `run ${r.runId} bounced ${r.bounced} and held ${r.held} claims`),
    ...(end.misPaid > 0 ? [`${end.misPaid} claims were paid another amount than they claimed`] : []),
    ...(end.refundReport.reconciles.balances && end.refundReport.reconciles.payouts
      ? []
      : [`the refund report does not reconcile: ${JSON.stringify(end.refundReport.reconciles)}`]),
    ...(end.reconciliation.ok
      ? []
      : [`the campaign's ledger does not reconcile: ${JSON.stringify(end.reconciliation.discrepancies.slice(0, 3))}`]),
  ];
  const label = size.toLocaleString('en-US');
  const smallLabel = small.toLocaleString('en-US');
  return {
    scenario: 'refund-campaign',
    measures:
      `a payout run of the worker (POST /v1/payout-runs, a job per batch of ${PAYOUT_BATCH.toLocaleString('en-US')} claims) over ${label} wallets with ` +
      `a balance and a verified claim each, from the run's start to its completion; the worker's peak RSS over the run; the same at ${smallLabel} wallets`,
    baseline:
      `the worker's statements per batch (ledger_payout_batch, the claims' UPDATE, the outbox and e-mail INSERTs, the run's row) sent straight ` +
      `over one pg connection, batch after batch, on as many other wallets, in two halves around the run`,
    metrics: [
      metric(`time to pay ${label} wallets (run vs raw SQL)`, 's', seconds(measured.subject), seconds(measured.baseline), {
        on: 'value',
        op: '<=',
        target: Math.round((size / GOAL_PER_SECOND) * 10) / 10,
        required: false,
      }),
      metric(`wallets/s, ${label} (run vs raw SQL)`, 'ops/s', rate(measured.subject), rate(measured.baseline), {
        on: 'ratio',
        op: '>=',
        target: GOAL_RATIO,
        required: false,
      }),
      metric(`wallets/s, ${smallLabel} (run vs raw SQL)`, 'ops/s', rate(smaller.subject), rate(smaller.baseline)),
      // Flat as N grows: paying the second half of the claims takes the worker no higher than the first half did.
      metric(`worker peak RSS, all ${label} (vs first half)`, 'MB', peak(measured), firstHalfPeak(measured), {
        on: 'ratio',
        op: '<=',
        target: FLAT_MEMORY,
        required: false,
      }),
      metric(`worker peak RSS, ${label} (vs ${smallLabel})`, 'MB', peak(measured), peak(smaller), {
        on: 'value',
        op: '<=',
        target: RSS_GOAL_MB.worker,
        required: false,
        bound: memoryBound('worker', Math.min(...measured.subject.map((r) => r.memory.startMb ?? Number.NaN)), peak(measured)),
      }),
      metric('claims not paid', 'count', end.unpaid, null, { on: 'value', op: '=', target: 0, required: true }),
      metric('wallets with a balance left', 'count', end.walletsLeft, null, { on: 'value', op: '=', target: 0, required: true }),
    ],
    problems,
    details: {
      sandboxId: campaign.sandbox.id,
      wallets: size,
      smallerWallets: small,
      batch: PAYOUT_BATCH,
      prepareSeconds: Math.round(supply.prepareSeconds * 10) / 10,
      measured: comparisonDetails(measured),
      smaller: comparisonDetails(smaller),
      outcome: { ...end, reconciliation: { ok: end.reconciliation.ok, totals: end.reconciliation.totals } },
    },
  };
}

export const refundCampaignScenario: Scenario = { name: 'refund-campaign', run };
