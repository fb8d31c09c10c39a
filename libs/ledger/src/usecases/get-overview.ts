import { Injectable } from '@nestjs/common';
import { Database } from '#core';
import { AccountsRepository } from '../accounts.repository.js';
import { SystemAccount } from '../ledger.types.js';
import { TransfersRepository } from '../transfers.repository.js';
import { WalletHoldsRepository } from '../wallet-holds.repository.js';

export interface Overview {
  asOf: string;
  /** The sandbox day the "today" figures cover: midnight to midnight in Japan (Asia/Tokyo). */
  day: { from: string; to: string; timeZone: 'Asia/Tokyo' };
  wallets: number;
  walletsWithBalance: number;
  /** What customers hold: the sum of every wallet's balance. */
  outstanding: number;
  reserved: number;
  /** Wallets with at least one open fraud hold, and the open holds. */
  walletsOnHold: number;
  openHolds: number;
  today: {
    topups: Record<string, { count: number; amount: number }>;
    payments: { count: number; amount: number };
    refunds: { count: number; amount: number };
  };
}

const TOPUP_CHANNEL_ACCOUNTS: Record<string, string> = {
  card: SystemAccount.TopupCard,
  bank_debit: SystemAccount.TopupBankDebit,
  atm: SystemAccount.TopupAtm,
  register_cash: SystemAccount.TopupRegisterCash,
  points: SystemAccount.TopupPoints,
};

const JST_OFFSET_MS = 9 * 3_600_000;
const DAY_MS = 86_400_000;

/** Midnight to midnight, Japan time, around a sandbox instant. */
export function jstDay(at: Date): { from: Date; to: Date } {
  const from = new Date(Math.floor((at.getTime() + JST_OFFSET_MS) / DAY_MS) * DAY_MS - JST_OFFSET_MS);
  return { from, to: new Date(from.getTime() + DAY_MS) };
}

/** The operator's day at a glance, on one consistent snapshot of the ledger. */
@Injectable()
export class GetOverview {
  constructor(
    private readonly db: Database,
    private readonly accounts: AccountsRepository,
    private readonly holds: WalletHoldsRepository,
    private readonly transfers: TransfersRepository,
  ) {}

  async execute(sandboxId: string, now: Date): Promise<Overview> {
    const day = jstDay(now);
    return this.db.transaction(async (tx) => {
      const wallets = await this.accounts.walletFigures(tx, sandboxId);
      const openHolds = await this.holds.count(tx, sandboxId);
      const flows = await this.transfers.flowsBetween(tx, sandboxId, day.from, day.to);
      const topups = Object.fromEntries(Object.keys(TOPUP_CHANNEL_ACCOUNTS).map((channel) => [channel, { count: 0, amount: 0 }]));
      const payments = { count: 0, amount: 0 };
      const refunds = { count: 0, amount: 0 };
      for (const f of flows) {
        const figure = { count: f.count, amount: f.amount };
        if (f.code === 'payment') Object.assign(payments, figure);
        else if (f.code === 'refund') Object.assign(refunds, figure);
        else {
          const channel = Object.keys(TOPUP_CHANNEL_ACCOUNTS).find((c) => TOPUP_CHANNEL_ACCOUNTS[c] === f.debitAccountId);
          if (channel) topups[channel] = figure;
        }
      }
      return {
        asOf: now.toISOString(),
        day: { from: day.from.toISOString(), to: day.to.toISOString(), timeZone: 'Asia/Tokyo' as const },
        wallets: wallets.wallets,
        walletsWithBalance: wallets.withBalance,
        outstanding: wallets.total,
        reserved: wallets.reserved,
        walletsOnHold: wallets.onHold,
        openHolds,
        today: { topups, payments, refunds },
      };
    }, 'REPEATABLE READ');
  }
}
