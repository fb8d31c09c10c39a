import { beforeAll, describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import { Database, DomainError, SandboxTime, newId } from '#core';
import { LedgerService, Reconciliation, SystemAccount } from '#ledger';
import { useHarness, type SandboxKeys } from '../support/harness.js';

const h = useHarness({ worker: false });
let ledger: LedgerService;
let db: Database;

beforeAll(async () => {
  ledger = h.api.get(LedgerService);
  db = h.api.get(Database);
});

const now = (): Date => new SandboxTime(0).now();

async function sandboxWithAccounts(wallets: number): Promise<{ sandbox: SandboxKeys; wallets: string[]; store: string }> {
  const sandbox = await h.createSandbox();
  const ids = await Promise.all(Array.from({ length: wallets }, () => h.createWallet(sandbox)));
  const store = newId('str');
  await ledger.openAccount(db, sandbox.id, store, 'store', now());
  return { sandbox, wallets: ids, store };
}

async function sandboxNow(sandboxId: string): Promise<Date> {
  const [row] = await db.rows<{ now: Date }>(`SELECT now FROM sandbox_clocks WHERE sandbox_id = $1`, [sandboxId]);
  return row.now;
}

describe('ledger invariants under random operations', () => {
  type Op =
    | { kind: 'fund'; wallet: number; amount: number }
    | { kind: 'pay'; wallet: number; amount: number }
    | { kind: 'refund'; wallet: number; amount: number }
    | { kind: 'reserve'; wallet: number; amount: number; ttl: number | null }
    | { kind: 'post'; pending: number; fraction: number }
    | { kind: 'void'; pending: number }
    | { kind: 'advance'; seconds: number }
    | { kind: 'retry'; previous: number };

  const wallet = fc.integer({ min: 0, max: 2 });
  const amount = fc.integer({ min: 1, max: 5_000 });
  const op: fc.Arbitrary<Op> = fc.oneof(
    fc.record({ kind: fc.constant('fund' as const), wallet, amount }),
    fc.record({ kind: fc.constant('pay' as const), wallet, amount }),
    fc.record({ kind: fc.constant('refund' as const), wallet, amount }),
    fc.record({ kind: fc.constant('reserve' as const), wallet, amount, ttl: fc.option(fc.integer({ min: 1, max: 600 })) }),
    fc.record({ kind: fc.constant('post' as const), pending: fc.nat(), fraction: fc.double({ min: 0.01, max: 1, noNaN: true }) }),
    fc.record({ kind: fc.constant('void' as const), pending: fc.nat() }),
    fc.record({ kind: fc.constant('advance' as const), seconds: fc.integer({ min: 1, max: 400 }) }),
    fc.record({ kind: fc.constant('retry' as const), previous: fc.nat() }),
  );

  test('postings sum to zero, no wallet goes negative, balances equal their postings and the model', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 5, maxLength: 40 }), async (ops) => {
        const { sandbox, wallets, store } = await sandboxWithAccounts(3);
        const model = wallets.map(() => ({ balance: 0, reserved: 0 }));
        const pendings: Array<{ id: string; wallet: number; amount: number; expiresAt: Date | null; status: string }> = [];
        const posted: Array<{
          key: string;
          debit: string;
          credit: string;
          amount: number;
          code: 'sandbox_funding' | 'payment' | 'refund';
        }> = [];

        const post = async (key: string, debit: string, credit: string, value: number, code: 'sandbox_funding' | 'payment' | 'refund') => {
          try {
            await ledger.transfer(db, { sandboxId: sandbox.id, key, debit, credit, amount: value, code, at: await sandboxNow(sandbox.id) });
            posted.push({ key, debit, credit, amount: value, code });
            return true;
          } catch (error) {
            expect(error).toBeInstanceOf(DomainError);
            expect((error as DomainError).code).toBe('insufficient_balance');
            return false;
          }
        };

        for (const o of ops) {
          switch (o.kind) {
            case 'fund':
              expect(await post(newId('req'), SystemAccount.SandboxFunding, wallets[o.wallet], o.amount, 'sandbox_funding')).toBe(true);
              model[o.wallet].balance += o.amount;
              break;
            case 'pay': {
              const m = model[o.wallet];
              const ok = await post(newId('req'), wallets[o.wallet], store, o.amount, 'payment');
              expect(ok).toBe(m.balance - m.reserved >= o.amount);
              if (ok) m.balance -= o.amount;
              break;
            }
            case 'refund':
              // Store accounts may go negative (the merchant then owes); wallets are credited.
              expect(await post(newId('req'), store, wallets[o.wallet], o.amount, 'refund')).toBe(true);
              model[o.wallet].balance += o.amount;
              break;
            case 'reserve': {
              const m = model[o.wallet];
              const at = await sandboxNow(sandbox.id);
              const expiresAt = o.ttl === null ? null : new Date(at.getTime() + o.ttl * 1000);
              try {
                const pending = await ledger.reserve(db, {
                  sandboxId: sandbox.id,
                  key: newId('req'),
                  debit: wallets[o.wallet],
                  credit: store,
                  amount: o.amount,
                  code: 'payment',
                  at,
                  expiresAt,
                });
                expect(m.balance - m.reserved >= o.amount).toBe(true);
                m.reserved += o.amount;
                pendings.push({ id: pending.id, wallet: o.wallet, amount: o.amount, expiresAt, status: 'pending' });
              } catch (error) {
                expect((error as DomainError).code).toBe('insufficient_balance');
                expect(m.balance - m.reserved).toBeLessThan(o.amount);
              }
              break;
            }
            case 'post': {
              if (pendings.length === 0) break;
              const p = pendings[o.pending % pendings.length];
              const value = Math.max(1, Math.floor(p.amount * o.fraction));
              const at = await sandboxNow(sandbox.id);
              try {
                await ledger.postPending(db, sandbox.id, p.id, value, at);
                expect(p.status).toBe('pending');
                expect(p.expiresAt === null || p.expiresAt > at).toBe(true);
                model[p.wallet].reserved -= p.amount;
                model[p.wallet].balance -= value;
                p.status = 'posted';
              } catch (error) {
                expect((error as DomainError).code).toBe('pending_transfer_not_pending');
                expect(p.status !== 'pending' || (p.expiresAt !== null && p.expiresAt <= at)).toBe(true);
              }
              break;
            }
            case 'void': {
              if (pendings.length === 0) break;
              const p = pendings[o.pending % pendings.length];
              try {
                await ledger.voidPending(db, sandbox.id, p.id, await sandboxNow(sandbox.id));
                expect(p.status).toBe('pending');
                model[p.wallet].reserved -= p.amount;
                p.status = 'voided';
              } catch (error) {
                expect((error as DomainError).code).toBe('pending_transfer_not_pending');
                expect(p.status).not.toBe('pending');
              }
              break;
            }
            case 'advance': {
              const reply = await h.post('/v1/sandbox/clock/advance', { seconds: o.seconds }, { token: sandbox.secretKey });
              expect(reply.status).toBe(200);
              await ledger.expireDue(sandbox.id);
              const at = new Date(reply.body.now);
              for (const p of pendings) {
                if (p.status === 'pending' && p.expiresAt !== null && p.expiresAt <= at) {
                  p.status = 'expired';
                  model[p.wallet].reserved -= p.amount;
                }
              }
              break;
            }
            case 'retry': {
              if (posted.length === 0) break;
              const t = posted[o.previous % posted.length];
              const again = await ledger.transfer(db, {
                sandboxId: sandbox.id,
                key: t.key,
                debit: t.debit,
                credit: t.credit,
                amount: t.amount,
                code: t.code,
                at: now(),
              });
              expect(again.replayed).toBe(true);
              break;
            }
          }
        }

        for (const [i, id] of wallets.entries()) {
          const actual = await ledger.walletBalance(db, sandbox.id, id);
          expect(actual).toEqual({ balance: model[i].balance, available: model[i].balance - model[i].reserved });
          expect(actual!.available).toBeGreaterThanOrEqual(0);
        }
        for (const p of pendings) expect(await ledger.pendingStatus(db, sandbox.id, p.id)).toBe(p.status);
        const report = await h.api.get(Reconciliation).run(sandbox.id, now());
        expect(report.discrepancies).toEqual([]);
        expect(report.totals.entriesSum).toBe(0);
      }),
      { numRuns: 25 },
    );
  });
});

describe('concurrency', () => {
  test('200 concurrent debits racing on one wallet never overdraw it; each posts once or is refused', async () => {
    const { sandbox, wallets, store } = await sandboxWithAccounts(1);
    await ledger.transfer(db, {
      sandboxId: sandbox.id,
      key: newId('req'),
      debit: SystemAccount.SandboxFunding,
      credit: wallets[0],
      amount: 10_000,
      code: 'sandbox_funding',
      at: now(),
    });

    const keys = Array.from({ length: 200 }, () => newId('req'));
    const outcomes = await Promise.all(
      keys.map((key) =>
        db
          .transaction((tx) =>
            ledger.transfer(tx, { sandboxId: sandbox.id, key, debit: wallets[0], credit: store, amount: 100, code: 'payment', at: now() }),
          )
          .then(
            () => 'posted',
            (error: DomainError) => error.code,
          ),
      ),
    );
    expect(outcomes.filter((o) => o === 'posted')).toHaveLength(100);
    expect(outcomes.filter((o) => o === 'insufficient_balance')).toHaveLength(100);
    expect(await ledger.walletBalance(db, sandbox.id, wallets[0])).toEqual({ balance: 0, available: 0 });
    const [{ n }] = await db.rows<{ n: string }>(`SELECT count(*) AS n FROM ledger_transfers WHERE sandbox_id = $1 AND code = 'payment'`, [
      sandbox.id,
    ]);
    expect(Number(n)).toBe(100);
    expect(await ledger.accountBalance(db, sandbox.id, store)).toBe(10_000);
  });

  test('the same posting retried 50 times at once is recorded once', async () => {
    const { sandbox, wallets } = await sandboxWithAccounts(1);
    const key = newId('req');
    const results = await Promise.all(
      Array.from({ length: 50 }, () =>
        db.transaction((tx) =>
          ledger.transfer(tx, {
            sandboxId: sandbox.id,
            key,
            debit: SystemAccount.SandboxFunding,
            credit: wallets[0],
            amount: 700,
            code: 'sandbox_funding',
            at: now(),
          }),
        ),
      ),
    );
    expect(new Set(results.map((r) => r.id)).size).toBe(1);
    expect(results.filter((r) => !r.replayed)).toHaveLength(1);
    expect(await ledger.walletBalance(db, sandbox.id, wallets[0])).toEqual({ balance: 700, available: 700 });
  });

  test('a pending transfer raced by 15 posts and 15 voids settles exactly once', async () => {
    const { sandbox, wallets, store } = await sandboxWithAccounts(1);
    await ledger.transfer(db, {
      sandboxId: sandbox.id,
      key: newId('req'),
      debit: SystemAccount.SandboxFunding,
      credit: wallets[0],
      amount: 5_000,
      code: 'sandbox_funding',
      at: now(),
    });
    const pending = await ledger.reserve(db, {
      sandboxId: sandbox.id,
      key: newId('req'),
      debit: wallets[0],
      credit: store,
      amount: 3_000,
      code: 'payment',
      at: now(),
      expiresAt: new Date(now().getTime() + 60_000),
    });
    expect(await ledger.walletBalance(db, sandbox.id, wallets[0])).toEqual({ balance: 5_000, available: 2_000 });

    const attempts = Array.from({ length: 30 }, (_, i) =>
      (i % 2 === 0
        ? ledger.postPending(db, sandbox.id, pending.id, 2_500, now())
        : ledger.voidPending(db, sandbox.id, pending.id, now())
      ).then(
        () => (i % 2 === 0 ? 'posted' : 'voided'),
        (error: DomainError) => `${error.code}: ${String(error.extra.transferStatus)}`,
      ),
    );
    const outcomes = await Promise.all(attempts);
    const winners = outcomes.filter((o) => o === 'posted' || o === 'voided');
    expect(winners).toHaveLength(1);
    // Every loser is told what became of it.
    expect(outcomes.filter((o) => o === `pending_transfer_not_pending: ${winners[0]}`)).toHaveLength(29);
    const expected = winners[0] === 'posted' ? { balance: 2_500, available: 2_500 } : { balance: 5_000, available: 5_000 };
    expect(await ledger.walletBalance(db, sandbox.id, wallets[0])).toEqual(expected);
    expect(await ledger.pendingStatus(db, sandbox.id, pending.id)).toBe(winners[0]);
  });

  test('posting more than is held is refused and changes nothing', async () => {
    const { sandbox, wallets, store } = await sandboxWithAccounts(1);
    await ledger.transfer(db, {
      sandboxId: sandbox.id,
      key: newId('req'),
      debit: SystemAccount.SandboxFunding,
      credit: wallets[0],
      amount: 1_000,
      code: 'sandbox_funding',
      at: now(),
    });
    const pending = await ledger.reserve(db, {
      sandboxId: sandbox.id,
      key: newId('req'),
      debit: wallets[0],
      credit: store,
      amount: 800,
      code: 'payment',
      at: now(),
      expiresAt: null,
    });
    await expect(ledger.postPending(db, sandbox.id, pending.id, 801, now())).rejects.toMatchObject({ code: 'amount_exceeds_pending' });
    expect(await ledger.pendingStatus(db, sandbox.id, pending.id)).toBe('pending');
    expect(await ledger.walletBalance(db, sandbox.id, wallets[0])).toEqual({ balance: 1_000, available: 200 });
  });
});

describe('wallet holds', () => {
  const held = async (sandboxId: string, walletId: string) =>
    ledger.assertNotOnHold(db, sandboxId, walletId).then(
      () => false,
      () => true,
    );

  test('the placing and the release of a hold may come in either order, and again: a released hold never holds the wallet', async () => {
    const { sandbox, wallets } = await sandboxWithAccounts(1);
    const [walletId] = wallets;
    const place = (holdId: string) =>
      db.transaction((tx) => ledger.placeHold(tx, sandbox.id, { holdId, walletId, reason: 'review', at: now() }));
    const release = (holdId: string) => db.transaction((tx) => ledger.releaseHold(tx, sandbox.id, holdId, now()));

    const late = newId('hld');
    await release(late);
    await place(late);
    expect(await held(sandbox.id, walletId)).toBe(false);

    const inOrder = newId('hld');
    await place(inOrder);
    await place(inOrder);
    expect(await held(sandbox.id, walletId)).toBe(true);
    await release(inOrder);
    await place(inOrder);
    await release(inOrder);
    expect(await held(sandbox.id, walletId)).toBe(false);

    // Each hold's placing and release racing each other, 20 times over.
    await Promise.all(Array.from({ length: 20 }, () => newId('hld')).flatMap((holdId) => [place(holdId), release(holdId), place(holdId)]));
    expect(await held(sandbox.id, walletId)).toBe(false);
    expect(await ledger.walletHolds(db, sandbox.id, walletId)).toEqual([]);
  });
});

describe('batch payouts', () => {
  test('each wallet pays out its whole available balance once, as a transfer of its own; held and empty wallets are skipped', async () => {
    const { sandbox, wallets, store } = await sandboxWithAccounts(5);
    const fund = (wallet: string, amount: number) =>
      ledger.transfer(db, {
        sandboxId: sandbox.id,
        key: newId('req'),
        debit: SystemAccount.SandboxFunding,
        credit: wallet,
        amount,
        code: 'sandbox_funding',
        at: now(),
      });
    await fund(wallets[0], 1_000);
    await fund(wallets[1], 2_500);
    await fund(wallets[2], 700);
    await fund(wallets[3], 900);
    // A pre-authorisation holds ¥400 of the second wallet: only what is available is paid.
    await ledger.reserve(db, {
      sandboxId: sandbox.id,
      key: newId('req'),
      debit: wallets[1],
      credit: store,
      amount: 400,
      code: 'payment',
      at: now(),
      expiresAt: null,
    });
    await ledger.placeHold(db, sandbox.id, { holdId: newId('hld'), walletId: wallets[2], reason: 'review', at: now() });
    const payouts = wallets.map((walletId) => ({ walletId, key: `refund_payout/${walletId}/1` }));

    const first = await ledger.payoutBatch(db, sandbox.id, payouts, SystemAccount.RefundPayouts, 'payout', now());
    expect(first.map((r) => [r.outcome, r.amount])).toEqual([
      ['posted', 1_000],
      ['posted', 2_100],
      ['wallet_on_hold', 0],
      ['posted', 900],
      ['nothing_to_pay', 0],
    ]);
    const again = await ledger.payoutBatch(db, sandbox.id, payouts, SystemAccount.RefundPayouts, 'payout', now());
    expect(again.map((r) => r.outcome)).toEqual(['replayed', 'replayed', 'wallet_on_hold', 'replayed', 'nothing_to_pay']);
    expect(again.filter((r) => r.outcome === 'replayed').map((r) => r.transferId)).toEqual(
      first.filter((r) => r.outcome === 'posted').map((r) => r.transferId),
    );

    expect(await ledger.walletBalance(db, sandbox.id, wallets[1])).toEqual({ balance: 400, available: 0 });
    expect(await ledger.walletBalance(db, sandbox.id, wallets[2])).toEqual({ balance: 700, available: 700 });
    expect(await ledger.accountBalance(db, sandbox.id, SystemAccount.RefundPayouts)).toBe(4_000);
    const report = await h.api.get(Reconciliation).run(sandbox.id, await sandboxNow(sandbox.id));
    expect(report.ok).toBe(true);
  });
});
