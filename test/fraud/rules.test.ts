import { beforeAll, describe, expect, test } from '@jest/globals';
import { type EventJob, type SandboxContext, SandboxTime, type Topic, newId, sha256Hex } from '#core';
import type { TopupFacts } from '#topup';
import { FraudDecisions } from '#fraud';
import { useHarness } from '../support/harness.js';

// No worker: each rule is driven through the fraud module's handlers with events at chosen sandbox times.
const h = useHarness({ worker: false });
let decisions: FraudDecisions;

beforeAll(() => {
  decisions = h.api.get(FraudDecisions);
});

const MINUTE = 60_000;
const START = Date.UTC(2026, 0, 5, 9, 0, 0);

/** A sandbox of its own, a customer in it, and events about them at minutes after 09:00. */
async function world() {
  const sandbox = await h.createSandbox();
  const context: SandboxContext = { id: sandbox.id, securityProfile: 'hardened', time: new SandboxTime(0) };
  const userId = newId('usr');
  const walletId = newId('wal');
  const job = <T extends Topic>(type: T, minute: number, data: EventJob<T>['data']): EventJob<T> => ({
    eventId: newId('evt'),
    sandboxId: sandbox.id,
    type,
    data,
    requestId: null,
    occurredAt: new Date(START + minute * MINUTE).toISOString(),
  });
  const client = (ip = '133.1.2.3', device = 'phone') => ({ ip, userAgent: 'WalletApp/3.1', deviceHash: sha256Hex(device) });

  /** The rules an event hit, as the fraud module recorded them. */
  const hits = async (event: EventJob): Promise<string[]> =>
    (
      await h.db.rows<{ rule: string }>(`SELECT rule FROM fraud_rule_hits WHERE sandbox_id = $1 AND event_id = $2 ORDER BY rule`, [
        sandbox.id,
        event.eventId,
      ])
    ).map((r) => r.rule);

  const observe = async (event: EventJob) => {
    await decisions.onEvent(context, event);
    return event;
  };

  const signIn = (minute: number, who = { userId, walletId }, at = client()) =>
    observe(job('auth.login_succeeded', minute, { ...who, deviceId: newId('dev'), newDevice: false, secondFactor: 'none', ...at }));

  /** A sign-in on a device the account has not used, after an earlier sign-in: a change of device. */
  const signInOnNewDevice = (minute: number) =>
    observe(
      job('auth.login_succeeded', minute, {
        userId,
        walletId,
        deviceId: newId('dev'),
        newDevice: true,
        secondFactor: 'sms',
        ...client('133.1.2.3', 'new-phone'),
      }),
    );

  const resetPassword = (minute: number) => observe(job('auth.password_reset_completed', minute, { userId, walletId, ...client() }));

  const addCard = async (minute: number) => {
    const cardId = newId('crd');
    await observe(job('card.added', minute, { cardId, userId, walletId, brand: 'visa', last4: '4242' }));
    return { channel: 'card' as const, cardId };
  };

  const failedSignIn = (minute: number, email: string, ip: string) =>
    observe(job('auth.login_failed', minute, { userId: null, email, reason: 'bad_credentials', ...client(ip) }));

  /** A top-up screened at a minute: the rules it hit, the decision and its reasons. */
  const screen = async (minute: number, amount: number, facts: Partial<TopupFacts> = {}) => {
    const event = job('topup.requested', minute, {
      topupId: newId('top'),
      walletId,
      userId,
      channel: 'atm',
      amount,
      cardId: null,
      storeId: null,
      ...facts,
    });
    await decisions.screenTopup(context, event);
    const [screening] = await h.db.rows<{ decision: string; reasons: string[] }>(
      `SELECT decision, reasons FROM fraud_screenings WHERE sandbox_id = $1 AND subject_id = $2`,
      [sandbox.id, event.data.topupId],
    );
    return { rules: await hits(event), decision: screening.decision, reasons: screening.reasons };
  };

  /** A top-up screened at a minute: the rules it hit and the decision. */
  const topUp = async (minute: number, amount: number, facts: Partial<TopupFacts> = {}) => {
    const { rules, decision } = await screen(minute, amount, facts);
    return { rules, decision };
  };

  const settings = (patch: Record<string, unknown>) => h.post('/v1/fraud/settings', patch, { token: sandbox.secretKey });
  const alerts = async () => (await h.get('/v1/fraud/alerts', { token: sandbox.secretKey })).body.data;

  return {
    sandbox,
    userId,
    walletId,
    job,
    client,
    hits,
    observe,
    signIn,
    signInOnNewDevice,
    resetPassword,
    addCard,
    failedSignIn,
    screen,
    topUp,
    settings,
    alerts,
  };
}

describe('sign-in rules', () => {
  test('login.ip_failure_burst: failures on 10 accounts from one IP raise one alert at once, and the next sign-in from it scores', async () => {
    const w = await world();
    const ip = '133.50.60.70';
    for (let i = 0; i < 9; i++) await w.failedSignIn(i / 10, `someone${i}@example.test`, ip);
    expect(await w.alerts()).toEqual([]);
    await w.failedSignIn(1, 'someone9@example.test', ip);
    await w.failedSignIn(1.1, 'someone10@example.test', ip);
    await w.failedSignIn(1.2, 'someone0@example.test', ip);
    expect(await w.alerts()).toEqual([
      expect.objectContaining({ rule: 'login.ip_failure_burst', subjectType: 'ip', subjectId: ip, inputs: { ip, failedAccounts: 10 } }),
    ]);
    expect(await w.hits(await w.signIn(5, undefined, w.client(ip)))).toEqual(['login.ip_failure_burst']);
    // Ten minutes after the wave, the address is clean again.
    expect(await w.hits(await w.signIn(12, undefined, w.client(ip)))).toEqual([]);
  });

  test('login.ip_failure_burst: a wave whose failures reach the rules out of order still raises one alert', async () => {
    const w = await world();
    const ip = '133.50.60.71';
    for (let i = 0; i < 9; i++) await w.failedSignIn(i / 10, `someone${i}@example.test`, ip);
    // The eleventh failure is observed before the tenth: each finds ten accounts failed by its own time.
    await w.failedSignIn(1.2, 'someone10@example.test', ip);
    await w.failedSignIn(1, 'someone9@example.test', ip);
    expect(await w.alerts()).toEqual([expect.objectContaining({ rule: 'login.ip_failure_burst', subjectId: ip })]);
  });

  test('login.ip_failure_burst: a wave observed last to first raises its alert on its earliest failure, observed last', async () => {
    const w = await world();
    const ip = '133.50.60.72';
    // Each failure, when observed, is the earliest so far: only the wave's later failures make ten.
    for (let i = 9; i >= 1; i--) await w.failedSignIn(i / 10, `someone${i}@example.test`, ip);
    expect(await w.alerts()).toEqual([]);
    await w.failedSignIn(0, 'someone0@example.test', ip);
    expect(await w.alerts()).toEqual([
      expect.objectContaining({ rule: 'login.ip_failure_burst', subjectId: ip, inputs: { ip, failedAccounts: 10 } }),
    ]);
  });

  test('login.ip_failure_burst: a failure observed late joins the window after it; failures spread wider never alert', async () => {
    const w = await world();
    const ip = '133.50.60.73';
    for (let i = 0; i < 9; i++) await w.failedSignIn(i, `late${i}@example.test`, ip);
    await w.failedSignIn(30, 'late9@example.test', ip);
    expect(await w.alerts()).toEqual([]);
    await w.failedSignIn(0.5, 'late10@example.test', ip);
    expect(await w.alerts()).toEqual([expect.objectContaining({ subjectId: ip, inputs: { ip, failedAccounts: 10 } })]);

    // Eleven accounts, one every two minutes, observed last to first: no ten-minute window holds ten.
    const spread = '133.50.60.74';
    for (let i = 10; i >= 0; i--) await w.failedSignIn(100 + 2 * i, `spread${i}@example.test`, spread);
    expect((await w.alerts()).filter((a: { subjectId: string }) => a.subjectId === spread)).toEqual([]);
  });

  test('device.shared: a device signed in to a third account within a day', async () => {
    const w = await world();
    const other = () => ({ userId: newId('usr'), walletId: newId('wal') });
    const tablet = w.client('133.1.2.3', 'shared-tablet');
    expect(await w.hits(await w.signIn(0, other(), tablet))).toEqual([]);
    expect(await w.hits(await w.signIn(60, other(), tablet))).toEqual([]);
    expect(await w.hits(await w.signIn(120, other(), tablet))).toEqual(['device.shared']);
    // A day after the first two, only the second still counts.
    expect(await w.hits(await w.signIn(24 * 60 + 90, other(), tablet))).toEqual([]);
  });
});

describe('top-up rules', () => {
  test('topup.velocity_minute: more than two top-ups within a minute', async () => {
    const w = await world();
    expect((await w.topUp(0, 1_000)).rules).toEqual([]);
    expect((await w.topUp(0.3, 1_000)).rules).toEqual([]);
    expect((await w.topUp(0.6, 1_000)).rules).toEqual(['topup.velocity_minute']);
    expect((await w.topUp(2, 1_000)).rules).toEqual([]);
  });

  test('topup.velocity_hour: more than five within an hour; topup.velocity_day: more than ten within a day', async () => {
    const w = await world();
    const hour = [];
    for (let i = 0; i < 6; i++) hour.push((await w.topUp(i * 10, 1_000)).rules);
    expect(hour).toEqual([[], [], [], [], [], ['topup.velocity_hour']]);
    const day = [];
    for (let i = 1; i <= 5; i++) day.push((await w.topUp(60 + i * 120, 1_000)).rules);
    expect(day).toEqual([[], [], [], [], ['topup.velocity_day']]);
  });

  test('topup.amount_minute, topup.amount_hour and topup.amount_day: what was requested within each window, this top-up included', async () => {
    const w = await world();
    expect((await w.topUp(0, 30_000)).rules).toEqual([]);
    expect((await w.topUp(0.5, 30_000)).rules).toEqual(['topup.amount_minute']);
    expect((await w.topUp(20, 30_000)).rules).toEqual([]);
    expect((await w.topUp(40, 30_000)).rules).toEqual(['topup.amount_day']);
    expect((await w.topUp(50, 30_000)).rules).toEqual(['topup.amount_day', 'topup.amount_hour']);
    // A single large deposit scores on amounts, yet is approved.
    const deposit = await (await world()).topUp(0, 100_000);
    expect(deposit).toEqual({ rules: ['topup.amount_day', 'topup.amount_minute'], decision: 'approve' });
  });

  test('topup.after_password_reset: the first top-up within 30 minutes of a completed reset', async () => {
    const w = await world();
    await w.resetPassword(0);
    expect((await w.topUp(10, 1_000)).rules).toEqual(['topup.after_password_reset']);
    expect((await w.topUp(15, 1_000)).rules).toEqual([]);
    const later = await world();
    await later.resetPassword(0);
    expect((await later.topUp(31, 1_000)).rules).toEqual([]);
  });

  test('topup.new_card_max: the most a card may top up, on a card added within 30 minutes', async () => {
    const w = await world();
    expect((await w.topUp(5, 29_000, await w.addCard(0))).rules).toEqual([]);
    expect((await w.topUp(120, 30_000, await w.addCard(89))).rules).toEqual([]);
    expect((await w.topUp(125, 30_000, await w.addCard(120))).rules).toEqual(['topup.new_card_max']);
  });

  test('topup velocity and amount rules: a top-up exactly a minute, an hour or a day earlier is out of that window', async () => {
    const w = await world();
    expect((await w.topUp(0, 40_000)).rules).toEqual([]);
    expect((await w.topUp(0.5, 10_000)).rules).toEqual([]);
    // The minute up to 09:01 holds the last two only: two top-ups and ¥20,000.
    expect((await w.topUp(1, 10_000)).rules).toEqual([]);
    const hourly = await world();
    expect((await hourly.topUp(0, 100_000)).rules).toEqual(['topup.amount_day', 'topup.amount_minute']);
    expect((await hourly.topUp(60, 50_000)).rules).toEqual(['topup.amount_day']);
    expect((await hourly.topUp(24 * 60, 1_000)).rules).toEqual([]);
  });

  test('topup.after_new_device: the first top-up within 30 minutes of a sign-in on a new device; one exactly 30 minutes after is not', async () => {
    const w = await world();
    await w.signIn(0);
    await w.signInOnNewDevice(60);
    expect((await w.topUp(70, 1_000)).rules).toEqual(['topup.after_new_device']);
    expect((await w.topUp(75, 1_000)).rules).toEqual([]);
    const later = await world();
    await later.signIn(0);
    await later.signInOnNewDevice(60);
    expect((await later.topUp(90, 1_000)).rules).toEqual([]);
  });

  test('topup.after_new_device and topup.after_password_reset: a top-up at the instant of the sign is the first after it, so the next one is not', async () => {
    const w = await world();
    await w.signIn(0);
    await w.signInOnNewDevice(60);
    expect((await w.topUp(60, 1_000)).rules).toEqual(['topup.after_new_device']);
    expect((await w.topUp(65, 1_000)).rules).toEqual([]);
    const reset = await world();
    await reset.resetPassword(0);
    expect((await reset.topUp(0, 1_000)).rules).toEqual(['topup.after_password_reset']);
    expect((await reset.topUp(5, 1_000)).rules).toEqual([]);
  });

  test('topup.after_password_reset: a reset exactly 30 minutes before the top-up is out of its window', async () => {
    const w = await world();
    await w.resetPassword(0);
    expect((await w.topUp(30, 1_000)).rules).toEqual([]);
  });

  test('topup.after_password_reset: each top-up counts the ones requested before it, whatever the order they are screened in', async () => {
    const w = await world();
    await w.resetPassword(0);
    expect((await w.topUp(20, 1_000)).rules).toEqual(['topup.after_password_reset']);
    expect((await w.topUp(10, 1_000)).rules).toEqual(['topup.after_password_reset']);
    // A reset after the top-up is no sign before it.
    const early = await world();
    await early.resetPassword(20);
    expect((await early.topUp(10, 1_000)).rules).toEqual([]);
  });

  test('topup.new_card_max: a card added exactly 30 minutes before is no longer new; one added at the instant of the top-up is', async () => {
    const w = await world();
    expect((await w.topUp(120, 30_000, await w.addCard(90))).rules).toEqual([]);
    expect((await w.topUp(180, 30_000, await w.addCard(180))).rules).toEqual(['topup.new_card_max']);
  });

  test("a risky sign-in's score follows the wallet's top-ups for 30 minutes, as a reason of its own", async () => {
    const w = await world();
    // From abroad: login.overseas_ip scores 30.
    await w.signIn(0, undefined, w.client('203.0.113.9'));
    expect(await w.screen(10, 1_000)).toEqual({ rules: [], decision: 'approve', reasons: ['session_risk:30'] });
    expect(await w.screen(30, 1_000)).toEqual({ rules: [], decision: 'approve', reasons: [] });
  });

  test('each top-up rule looks back over its own window from the top-up', async () => {
    const w = await world();
    const settings = {
      rules: { 'topup.after_password_reset': { windowMinutes: 60 }, 'topup.new_card_max': { windowMinutes: 90 } },
      sessionRiskMinutes: 120,
    };
    expect((await w.settings(settings)).status).toBe(200);
    await w.signIn(0);
    // Each sign lies within its own rule's window of the top-up at 200 and outside every shorter one.
    await w.signIn(90, undefined, w.client('203.0.113.9'));
    const card = await w.addCard(120);
    await w.resetPassword(150);
    await w.signInOnNewDevice(180);
    expect(await w.screen(200, 30_000, card)).toEqual({
      rules: ['topup.after_new_device', 'topup.after_password_reset', 'topup.new_card_max'],
      decision: 'decline',
      // The sign-in from abroad (login.overseas_ip and login.new_country) outscores the one on a new device (20).
      reasons: ['topup.after_new_device', 'topup.after_password_reset', 'topup.new_card_max', 'session_risk:50'],
    });
    const recorded = await h.db.rows(
      `SELECT rule, inputs FROM fraud_rule_hits WHERE sandbox_id = $1 AND subject_type = 'topup' ORDER BY rule`,
      [w.sandbox.id],
    );
    expect(recorded).toEqual([
      { rule: 'topup.after_new_device', inputs: { since: '2026-01-05T12:00:00.000Z' } },
      { rule: 'topup.after_password_reset', inputs: { since: '2026-01-05T11:30:00.000Z' } },
      { rule: 'topup.new_card_max', inputs: { cardId: card.cardId, amount: 30_000 } },
    ]);
  });

  test('a disabled top-up rule never hits, although the screening reads its facts', async () => {
    const sixRules = [
      'topup.velocity_minute',
      'topup.amount_minute',
      'topup.amount_day',
      'topup.after_new_device',
      'topup.after_password_reset',
      'topup.new_card_max',
    ];
    const attack = async (w: Awaited<ReturnType<typeof world>>) => {
      await w.signIn(0);
      await w.signInOnNewDevice(1);
      await w.resetPassword(2);
      const card = await w.addCard(3);
      const rules = [];
      for (const minute of [4, 4.2, 4.4]) rules.push((await w.topUp(minute, 40_000, card)).rules);
      return rules;
    };
    expect(await attack(await world())).toEqual([
      ['topup.after_new_device', 'topup.after_password_reset', 'topup.new_card_max'],
      ['topup.amount_minute', 'topup.new_card_max'],
      ['topup.amount_day', 'topup.amount_minute', 'topup.new_card_max', 'topup.velocity_minute'],
    ]);
    const off = await world();
    expect((await off.settings({ rules: Object.fromEntries(sixRules.map((rule) => [rule, { enabled: false }])) })).status).toBe(200);
    expect(await attack(off)).toEqual([[], [], []]);
  });

  test('a top-up of a wallet on hold is held whatever its score, naming the hold', async () => {
    const w = await world();
    expect((await w.settings({ thresholds: { stepUp: 20, review: 30, block: 90 } })).status).toBe(200);
    expect(await w.topUp(0, 100_000)).toEqual({ rules: ['topup.amount_day', 'topup.amount_minute'], decision: 'hold' });
    const [hold] = await h.db.rows<{ id: string }>(
      `SELECT id FROM fraud_holds WHERE sandbox_id = $1 AND wallet_id = $2 AND status = 'open'`,
      [w.sandbox.id, w.walletId],
    );
    expect(await w.screen(2 * 24 * 60, 1_000)).toEqual({ rules: [], decision: 'hold', reasons: [`wallet_on_hold:${hold.id}`] });
  });

  test('a top-up scoring the block threshold is declined; a rule set to decline declines whatever the score', async () => {
    const w = await world();
    expect((await w.settings({ thresholds: { stepUp: 20, review: 30, block: 40 } })).status).toBe(200);
    expect(await w.topUp(0, 100_000)).toEqual({ rules: ['topup.amount_day', 'topup.amount_minute'], decision: 'decline' });
    const strict = await world();
    expect((await strict.settings({ rules: { 'topup.amount_day': { action: 'decline', score: 0 } } })).status).toBe(200);
    expect(await strict.topUp(0, 100_000)).toEqual({ rules: ['topup.amount_day', 'topup.amount_minute'], decision: 'decline' });
    expect(await strict.topUp(300, 1_000)).toEqual({ rules: ['topup.amount_day'], decision: 'decline' });
  });
});
