import type { SandboxApi } from './api.js';
import { CustomerApp, type Member, type SandboxKeys } from './app.js';
import { Book } from './book.js';
import type { Cast, Channel } from './cast.js';
import type { SandboxClock } from './clock.js';
import { Operator, type TopupView } from './operator.js';
import type { Chapter } from './progress.js';
import type { Random } from './random.js';
import { Registers, type Store } from './registers.js';

/** Calls in flight at once: enough to keep two cores busy, few enough that argon2 hashing does not queue for long. */
const PARALLEL = 8;

/** A top-up on its way through the pipeline: screened, funded and settled by the worker. */
interface TopupInFlight {
  id: string;
  member: Member;
  channel: Channel;
  amount: number;
  /** Made by whoever took the account over, not by its owner. */
  byAttacker: boolean;
}

/** Whatever runs the api and worker: settling waits until the worker has done everything the calls so far caused. */
export interface Services {
  settle(): Promise<void>;
}

/** Everything the chapters share: the sandbox, its customers and stores, the replay's book, the seed. */
export class World {
  readonly book = new Book();
  readonly app: CustomerApp;
  readonly operator: Operator;
  readonly registers: Registers;
  stores: Store[] = [];
  members: Member[] = [];
  private readonly byWallet = new Map<string, Member>();
  private readonly byEmail = new Map<string, Member>();
  private inFlight: TopupInFlight[] = [];

  constructor(
    private readonly services: Services,
    readonly api: SandboxApi,
    readonly keys: SandboxKeys,
    readonly clock: SandboxClock,
    readonly random: Random,
    readonly cast: Cast,
  ) {
    this.app = new CustomerApp(api, keys, clock);
    this.operator = new Operator(api, keys);
    this.registers = new Registers(api);
  }

  settle(): Promise<void> {
    return this.services.settle();
  }

  /** Moves the story to a sandbox time; whatever fell due by then (schedules, expiries) has happened when it returns. */
  async advanceTo(at: Date): Promise<void> {
    await this.clock.advanceTo(at);
    await this.settle();
  }

  /** Keeps the customers in the order of the cast, whatever order their sign-ups finished in: the seed draws from that order. */
  join(member: Member): void {
    const after = this.members.findIndex((m) => m.plan.n > member.plan.n);
    this.members.splice(after < 0 ? this.members.length : after, 0, member);
    this.byWallet.set(member.walletId, member);
    this.byEmail.set(member.plan.email, member);
    this.book.open(member.walletId);
  }

  memberOf(walletId: string): Member | undefined {
    return this.byWallet.get(walletId);
  }

  memberByEmail(email: string): Member | undefined {
    return this.byEmail.get(email);
  }

  /** Customers whose wallet holds money, by the book. */
  holders(): Member[] {
    return this.members.filter((m) => this.book.balance(m.walletId) > 0);
  }

  /** Runs `work` for every item, a few at a time, a chapter step after each. */
  async each<T>(items: readonly T[], c: Chapter, work: (item: T) => Promise<void>): Promise<void> {
    c.part(items.length);
    const queue = items[Symbol.iterator]();
    const worker = async (): Promise<void> => {
      for (let next = queue.next(); !next.done; next = queue.next()) {
        await work(next.value);
        c.step();
      }
    };
    await Promise.all(Array.from({ length: PARALLEL }, worker));
  }

  /** Follows a top-up the api accepted until it settles (see settleTopups). */
  follow(view: TopupView, member: Member, byAttacker = false): void {
    this.inFlight.push({ id: view.id, member, channel: view.channel as Channel, amount: view.amount, byAttacker });
  }

  /**
   * Lets the worker screen, fund and settle the top-ups in flight, passing
   * 3-D Secure where a customer's card asks for it, then books each one that
   * settled. Held top-ups stay followed: a released hold settles them later.
   */
  async settleTopups(): Promise<void> {
    for (;;) {
      await this.settle();
      const views = await Promise.all(this.inFlight.map(async (t) => ({ t, view: await this.operator.topup(t.id) })));
      this.inFlight = views.filter(({ t, view }) => !this.concluded(t, view)).map(({ t }) => t);
      const challenged = views.filter(({ t, view }) => !t.byAttacker && asksForThreeDSecure(view));
      if (challenged.length === 0) return;
      for (const { t } of challenged) await this.app.passThreeDSecure(t.member, t.id);
    }
  }

  /** Books a top-up that reached its end; false while it is still on its way (or held). */
  private concluded(t: TopupInFlight, view: TopupView): boolean {
    if (view.status === 'succeeded') {
      this.book.topupSettled(t.member.walletId, t.channel, t.amount);
      if (t.byAttacker) {
        const theft = this.book.theft(t.member.walletId, t.member.plan.n);
        theft.topups.count += 1;
        theft.topups.yen += t.amount;
      }
      return true;
    }
    if (view.status === 'failed' || view.status === 'canceled') {
      this.book.refused(`${t.byAttacker ? "attacker's " : ''}${t.channel} top-up`, view.failureCode ?? view.status);
      return true;
    }
    // The code went to the victim's phone: the attacker gives that card up.
    if (t.byAttacker && asksForThreeDSecure(view)) {
      this.book.refused("attacker's card top-up", 'three_d_secure');
      return true;
    }
    return false;
  }
}

function asksForThreeDSecure(view: TopupView): boolean {
  return view.status === 'pending' && view.nextAction?.type === 'three_d_secure';
}
