import { Injectable } from '@nestjs/common';
import { Database, DomainError, Outbox, type UserPrincipal, newId } from '#core';
import { CardNetwork, luhnValid } from '../card-network.js';
import { type Card, FundingSourcesRepository } from '../funding-sources.repository.js';

/** The customer's cards: added as a network token (never the number or cvc), listed, removed. */
@Injectable()
export class ManageCards {
  constructor(
    private readonly db: Database,
    private readonly network: CardNetwork,
    private readonly sources: FundingSourcesRepository,
    private readonly outbox: Outbox,
  ) {}

  async add(me: UserPrincipal, input: { number: string; expMonth: number; expYear: number }): Promise<Card> {
    if (!luhnValid(input.number)) throw DomainError.invalid([{ field: 'number', message: 'is not a valid card number' }]);
    const now = me.sandbox.time.now();
    const expiry = new Date(Date.UTC(input.expYear, input.expMonth, 1));
    if (expiry <= now) throw DomainError.invalid([{ field: 'expYear', message: 'the card has expired' }]);
    const id = newId('crd');
    return this.db.transaction(async (tx) => {
      const token = await this.network.tokenize(tx, me.sandbox.id, input.number, now);
      await this.sources.insertCard(tx, {
        sandboxId: me.sandbox.id,
        id,
        userId: me.userId,
        walletId: me.walletId,
        brand: token.brand,
        last4: token.last4,
        expMonth: input.expMonth,
        expYear: input.expYear,
        networkToken: token.token,
        at: now,
      });
      await this.outbox.emit(tx, me.sandbox, 'card.added', {
        cardId: id,
        userId: me.userId,
        walletId: me.walletId,
        brand: token.brand,
        last4: token.last4,
      });
      return { id, brand: token.brand, last4: token.last4, expMonth: input.expMonth, expYear: input.expYear, createdAt: now.toISOString() };
    });
  }

  list(me: UserPrincipal): Promise<Card[]> {
    return this.sources.listCards(this.db, me.sandbox.id, me.userId);
  }

  async remove(me: UserPrincipal, cardId: string): Promise<void> {
    if (!(await this.sources.removeCard(this.db, me.sandbox.id, me.userId, cardId, me.sandbox.time.now())))
      throw DomainError.notFound('card', cardId);
  }
}
