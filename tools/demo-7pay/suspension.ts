import { answer, must } from './api.js';
import { jst } from './clock.js';
import { chapter } from './progress.js';
import { shoppingRound } from './shopping.js';
import type { World } from './world.js';

/**
 * 07-03: victims' calls reach the operator, who suspends card top-ups and
 * schedules the suspension of every top-up and new registration for
 * midnight. Card customers pay cash in at the register instead.
 */
export async function cardTopupsSuspended(w: World): Promise<void> {
  await chapter('07-03 Card top-ups off', 3, w.clock, async (c) => {
    c.part(2);
    await w.advanceTo(jst('2019-07-03 10:00'));
    await w.operator.transition({ to: 'card_topup_suspended', reason: 'unauthorised card top-ups reported by customers' });
    c.step();
    await w.operator.transition({
      to: 'topup_suspended',
      effectiveAt: jst('2019-07-04 00:00').toISOString(),
      reason: 'every top-up and new registration stops while the takeovers are investigated',
    });
    c.step();
    c.tell(`phase ${(await w.operator.service()).phase}; top-ups and sign-ups stop at midnight`);
    await shoppingRound(w, c, jst('2019-07-03 12:30'), 0.4, true);
    c.tell(`${w.book.refusedCount('card top-up', 'service_suspended')} card top-ups refused, paid in cash at the register instead`);
  });
}

/** 07-04: the scheduled suspension takes effect on the sandbox clock; payment only. Late sign-ups are turned away. */
export async function topupsSuspended(w: World): Promise<void> {
  await chapter('07-04 Payment only', 2, w.clock, async (c) => {
    await w.advanceTo(jst('2019-07-04 08:00'));
    await w.each(w.cast.latecomers, c, async (plan) => {
      const registered = await w.app.register(plan);
      if (!registered.ok) w.book.refused('registration', registered.code);
      else throw new Error(`latecomer ${plan.n} registered while registrations are suspended`);
    });
    await shoppingRound(w, c, jst('2019-07-04 12:30'), 0.4, true);
    c.tell(`phase ${(await w.operator.service()).phase}; ${w.book.refusedCount('registration', 'service_suspended')} sign-ups refused`);
  });
}

/**
 * 07-04 afternoon: the operator reviews the holds and the customers'
 * reports. A taken-over account is confirmed as fraud (held by the rules,
 * or held now on the victim's report), reaching back to the takeover; the
 * worker makes each victim whole. The travellers' holds are released.
 */
export async function review(w: World): Promise<void> {
  await chapter('07-04 Review', 2, w.clock, async (c) => {
    await w.advanceTo(jst('2019-07-04 15:00'));
    const openHolds = await w.operator.all((page) => w.operator.api.GET('/v1/holds', { params: { query: { ...page, status: 'open' } } }));
    const open = new Map(openHolds.map((h) => [h.walletId, h]));
    const victims = w.members.filter((m) => m.takenOver);
    await w.each(victims, c, async (m) => {
      const theft = w.book.thefts.get(m.walletId);
      if (!theft) throw new Error(`customer ${m.plan.n} was taken over but the replay kept no case`);
      const since = theft.since.toISOString();
      let hold = open.get(m.walletId);
      if (!hold) {
        const report = { walletId: m.walletId, reason: 'customer reports an account takeover', since };
        hold = await must(w.operator.api.POST('/v1/holds', { body: report }));
        w.book.review.reported += 1;
      }
      open.delete(m.walletId);
      const confirmation = { reason: 'account taken over with a leaked password', since };
      await must(w.operator.api.POST('/v1/holds/{id}/confirm-fraud', { params: { path: { id: hold.id } }, body: confirmation }));
      w.book.review.confirmed += 1;
      w.book.compensate(theft);
    });
    await w.each([...open.values()], c, async (hold) => {
      const traveller = w.memberOf(hold.walletId)?.plan.traveller === true;
      const reason = traveller ? 'the customer confirmed it was them, abroad' : 'nothing suspicious on review';
      await must(w.operator.api.POST('/v1/holds/{id}/release', { params: { path: { id: hold.id } }, body: { reason } }));
      w.book.review.released += 1;
      // A hold on an honest customer who did nothing unusual is a false positive of the rules.
      if (!traveller) w.book.review.falsePositives += 1;
    });
    await w.settleTopups();
    for (const m of victims) {
      m.takenOver = false;
      m.session = null;
    }
    for (const m of w.members.filter((m) => m.abroad)) {
      m.abroad = false;
      m.ip = m.plan.ip;
    }
    c.tell(
      `${w.book.review.confirmed} victims confirmed (${w.book.review.reported} on their report), ${w.book.review.released} holds released ` +
        `(${w.book.review.falsePositives} on customers who did nothing unusual)`,
    );
  });
}

/** The damage as 7pay announced it, checked against what the replay saw. */
export async function damageReport(w: World, at: string): Promise<void> {
  await chapter(`${at.slice(5, 10)} Damage report`, 1, w.clock, async (c) => {
    c.part(1);
    await w.advanceTo(jst(at));
    const report = await w.operator.damage();
    c.step();
    const { victims, damage } = w.book.compensation;
    if (report.victims !== victims || report.amount !== damage) {
      throw new Error(`the damage report says ${report.victims} people / ¥${report.amount}; the replay saw ${victims} / ¥${damage}`);
    }
    w.book.damage = { victims: report.victims, amount: report.amount };
    c.tell(`${report.victims.toLocaleString('en-US')} people / ¥${report.amount.toLocaleString('en-US')}, compensated in full`);
  });
}

/** 07-30: every member must set a new password; each does so through the reset flow the next time they open the app. */
export async function forcedPasswordReset(w: World): Promise<void> {
  await chapter('07-30 Forced password reset', 2, w.clock, async (c) => {
    c.part(1);
    await w.advanceTo(jst('2019-07-30 10:00'));
    const reason = 'passwords leaked from other services were used to take accounts over';
    await must(w.operator.api.POST('/v1/service/password-reset', { body: { reason } }));
    await w.settle();
    c.step();
    for (const m of w.members) {
      m.mustResetPassword = true;
      m.session = null;
    }
    await shoppingRound(w, c, jst('2019-07-30 19:00'), 0.3, false);
    c.tell(`${w.members.filter((m) => !m.mustResetPassword).length.toLocaleString('en-US')} customers have set a new password`);
  });
}

/** 7pay's dates: the service ends 2019-09-30 24:00 JST; refunds are claimed until 2020-01-10 24:00 JST. */
export const TERMINATION_AT = jst('2019-10-01 00:00');
const REFUND_CLAIMS_UNTIL = jst('2020-01-11 00:00');

/** 08-01: the abolition notice; the law's 60 days to claim are checked first. */
export async function abolition(w: World): Promise<void> {
  await chapter('08-01 Abolition notice', 2, w.clock, async (c) => {
    c.part(2);
    await w.advanceTo(jst('2019-08-01 09:00'));
    const tooShort = await answer(
      w.operator.api.POST('/v1/service/transitions', {
        body: {
          to: 'abolition_announced',
          terminationAt: TERMINATION_AT.toISOString(),
          refundClaimsUntil: jst('2019-11-15 00:00').toISOString(),
        },
      }),
    );
    if (tooShort.ok) throw new Error('a claim period of 45 days was accepted');
    w.book.refused('abolition notice', tooShort.code);
    c.step();
    await w.operator.transition({
      to: 'abolition_announced',
      terminationAt: TERMINATION_AT.toISOString(),
      refundClaimsUntil: REFUND_CLAIMS_UNTIL.toISOString(),
      reason: 'the service ends; balances are refunded on claim',
    });
    await w.settle();
    c.step();
    const { notice } = await w.operator.service();
    if (!notice?.deliveredToAll) throw new Error('the abolition notice did not reach every customer');
    c.tell(`notice e-mailed to ${notice.delivered.toLocaleString('en-US')} customers; claims open 10-01 to 01-10`);
  });
}
