import { CHANNELS, type Channel } from './cast.js';

export interface Tally {
  count: number;
  yen: number;
}

const tally = (): Tally => ({ count: 0, yen: 0 });
const add = (t: Tally, yen: number): void => {
  t.count += 1;
  t.yen += yen;
};

/** What the attackers took from one account, as the replay saw it happen. */
export interface Theft {
  walletId: string;
  customer: number;
  /** When the account was taken over: where the case begins. */
  since: Date;
  /** Card top-ups in the victim's name that settled. */
  topups: Tally;
  /** What was bought with the wallet. */
  spent: Tally;
}

/**
 * The replay's own account of what it did, kept apart from the api: every
 * settled top-up, purchase, refund, compensation and payout as it happened,
 * and the balance each wallet must hold because of them. The report checks
 * the api's figures against it.
 */
export class Book {
  private readonly balances = new Map<string, number>();
  readonly topups = Object.fromEntries(CHANNELS.map((c) => [c, tally()])) as Record<Channel, Tally>;
  readonly purchases = tally();
  readonly storeRefunds = tally();
  /** Calls the api refused, by what was tried and why (`card top-up: service_suspended`). */
  readonly refusals = new Map<string, number>();
  readonly thefts = new Map<string, Theft>();
  readonly attack = { attempts: 0, takeovers: 0, heldAtSignIn: 0 };
  readonly review = { confirmed: 0, released: 0, reported: 0, falsePositives: 0 };
  /** The damage report as announced (07-11, 07-31). */
  damage: { victims: number; amount: number } | null = null;
  readonly compensation = { victims: 0, damage: 0, reimbursed: 0, reversed: 0 };
  readonly claims = { filed: 0, bankTransfer: 0, postal: 0, bounced: 0, corrected: 0, paid: tally(), caseByCase: tally() };
  /** Memberships closed before the end, and the balances whose refund right went with them. */
  readonly closures = tally();
  /** Every wallet's balance summed when the service ended (09-30 24:00): the base of the deposit requirement. */
  atTermination = 0;
  customers = 0;
  stores = 0;
  /** Ledger transfers every step above must have posted. */
  transfers = 0;

  open(walletId: string): void {
    this.balances.set(walletId, 0);
    this.customers += 1;
  }

  balance(walletId: string): number {
    return this.balances.get(walletId) ?? 0;
  }

  /** Every wallet's balance, summed. */
  total(): number {
    let sum = 0;
    for (const yen of this.balances.values()) sum += yen;
    return sum;
  }

  topupSettled(walletId: string, channel: Channel, yen: number): void {
    add(this.topups[channel], yen);
    this.move(walletId, yen);
  }

  purchase(walletId: string, yen: number): void {
    add(this.purchases, yen);
    this.move(walletId, -yen);
  }

  storeRefund(walletId: string, yen: number): void {
    add(this.storeRefunds, yen);
    this.move(walletId, yen);
  }

  refused(what: string, code: string): void {
    const key = `${what}: ${code}`;
    this.refusals.set(key, (this.refusals.get(key) ?? 0) + 1);
  }

  refusedCount(what: string, code: string): number {
    return this.refusals.get(`${what}: ${code}`) ?? 0;
  }

  /** The theft from a wallet, opened when the account is taken over (`since`). */
  theft(walletId: string, customer: number, since = new Date()): Theft {
    let theft = this.thefts.get(walletId);
    if (!theft) this.thefts.set(walletId, (theft = { walletId, customer, since, topups: tally(), spent: tally() }));
    return theft;
  }

  /**
   * A confirmed victim made whole as the fraud module documents it: what was
   * spent comes back from the fraud-loss account (or enough to cancel every
   * charge, if the wallet holds less than was charged), then each card
   * top-up in the victim's name is reversed.
   */
  compensate(theft: Theft): void {
    const reimbursed = Math.max(theft.spent.yen, theft.topups.yen - this.balance(theft.walletId));
    this.compensation.victims += 1;
    this.compensation.damage += Math.max(theft.topups.yen, theft.spent.yen);
    this.compensation.reimbursed += reimbursed;
    this.compensation.reversed += theft.topups.yen;
    if (reimbursed > 0) this.move(theft.walletId, reimbursed);
    // Each card top-up is reversed by a transfer of its own.
    this.transfers += theft.topups.count;
    this.balances.set(theft.walletId, this.balance(theft.walletId) - theft.topups.yen);
  }

  /** A claim's payout: its first counts the claim as paid; a later one (a store refund after it) adds yen only. */
  payout(walletId: string, yen: number, caseByCase: boolean, first: boolean): void {
    const paid = caseByCase ? this.claims.caseByCase : this.claims.paid;
    paid.count += first ? 1 : 0;
    paid.yen += yen;
    this.move(walletId, -yen);
  }

  closure(walletId: string): void {
    add(this.closures, this.balance(walletId));
  }

  /** One ledger transfer into (positive) or out of a wallet. */
  private move(walletId: string, yen: number): void {
    this.balances.set(walletId, this.balance(walletId) + yen);
    this.transfers += 1;
  }
}
