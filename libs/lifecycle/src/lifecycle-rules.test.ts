import { describe, expect, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { PHASES, type Phase, capabilitiesOf } from './phases.js';
import { formatJst, noticeText } from './notice-text.js';
import { depositBaseDate } from './refund-report.js';
import { phaseAt } from './schedule.js';
import type { Transition } from './transitions.repository.js';

describe('the capability matrix follows 7pay’s way out', () => {
  // registration, login, card, bank_debit, atm, register_cash, points, payment, refundClaims
  const expected: Record<Phase, string> = {
    operating: 'RLCBAXPY-',
    card_topup_suspended: 'RL--AXPY-',
    topup_suspended: '-L-----Y-',
    abolition_announced: '-L-----Y-',
    terminated: '-L-------',
    refund_window: '-L------Z',
    closed: '---------',
  };
  test.each(PHASES.map((phase) => ({ phase })))('$phase', ({ phase }) => {
    const c = capabilitiesOf(phase);
    const flags = [
      c.registration,
      c.login,
      c.topup.card,
      c.topup.bank_debit,
      c.topup.atm,
      c.topup.register_cash,
      c.topup.points,
      c.payment,
      c.refundClaims,
    ];
    expect(flags.map((open, i) => (open ? 'RLCBAXPYZ'[i] : '-')).join('')).toBe(expected[phase]);
  });
});

describe('the phase at a time', () => {
  const at = (iso: string) => new Date(iso);
  const step = (to: Phase, effectiveAt: string): Transition => ({
    id: to,
    to,
    phaseIndex: PHASES.indexOf(to),
    effectiveAt: at(effectiveAt),
    reason: null,
    requestedBy: 'test',
    createdAt: at('2019-07-01T00:00:00Z'),
    appliedAt: null,
  });
  const schedule = [
    step('card_topup_suspended', '2019-07-03T00:00:00Z'),
    step('topup_suspended', '2019-07-04T00:00:00Z'),
    step('abolition_announced', '2019-08-01T00:00:00Z'),
    step('terminated', '2019-09-30T15:00:00Z'),
    step('refund_window', '2019-09-30T15:00:00Z'),
    step('closed', '2020-01-10T15:00:00Z'),
  ];

  test.each([
    ['2019-07-02T23:59:59Z', 'operating'],
    ['2019-07-03T00:00:00Z', 'card_topup_suspended'],
    ['2019-07-20T00:00:00Z', 'topup_suspended'],
    ['2019-09-30T14:59:59Z', 'abolition_announced'],
    // Termination and the claims opening at the same instant: the window is what holds.
    ['2019-09-30T15:00:00Z', 'refund_window'],
    ['2020-01-10T15:00:00Z', 'closed'],
  ])('%s → %s', (time, phase) => {
    expect(phaseAt(schedule, at(time))).toBe(phase);
  });
});

describe('the deposit base date', () => {
  test.each([
    ['2019-10-01T00:00:00+09:00', '2019-09-30T15:00:00.000Z'],
    ['2019-09-30T23:59:59+09:00', '2019-03-31T15:00:00.000Z'],
    ['2020-01-15T12:00:00+09:00', '2019-09-30T15:00:00.000Z'],
    ['2020-04-01T00:00:00+09:00', '2020-03-31T15:00:00.000Z'],
    ['2020-03-31T23:00:00+09:00', '2019-09-30T15:00:00.000Z'],
  ])('at %s the base date is %s (24:00 JST of 03-31 or 09-30)', (time, base) => {
    expect(depositBaseDate(new Date(time)).toISOString()).toBe(base);
  });
});

describe('the notice', () => {
  test('names the end and the claim period in Japan time', () => {
    expect(formatJst(new Date('2019-09-30T15:00:00Z'))).toBe('2019-10-01 00:00 JST');
    const { body } = noticeText({
      terminationAt: new Date('2019-09-30T15:00:00Z'),
      refundClaimsFrom: new Date('2019-09-30T15:00:00Z'),
      refundClaimsUntil: new Date('2020-01-10T15:00:00Z'),
    });
    expect(body).toContain('The service will end at 2019-10-01 00:00 JST');
    expect(body).toContain('until 2020-01-11 00:00 JST, free of charge');
  });
});

describe('capture asks the phase table in SQL', () => {
  test('lifecycle_payment_open lists exactly the phases in which the table leaves payment open', () => {
    const sql = readFileSync(new URL('./sql/lifecycle_payment_open.sql', import.meta.url), 'utf8');
    const listed = /ARRAY\[([^\]]*)\]/
      .exec(sql)?.[1]
      .match(/'[a-z_]+'/g)
      ?.map((phase) => phase.slice(1, -1));
    expect(listed).toEqual(PHASES.filter((phase) => capabilitiesOf(phase).payment));
  });
});
