import { Injectable } from '@nestjs/common';
import { Database, DomainError } from '#core';
import { type Hold, type HoldStatus, holdView } from '../holds.js';
import { type HoldRecord, HoldsRepository } from '../holds.repository.js';
import { RuleHitsRepository } from '../rule-hits.repository.js';

/** Holds as a reviewer reads them, with the rules that placed them and their audit trail. */
@Injectable()
export class ReadHolds {
  constructor(
    private readonly db: Database,
    private readonly holds: HoldsRepository,
    private readonly ruleHits: RuleHitsRepository,
  ) {}

  async list(
    sandboxId: string,
    query: { status?: HoldStatus; limit: number; startingAfter?: string },
  ): Promise<{ data: Hold[]; hasMore: boolean }> {
    const records = await this.holds.list(this.db, sandboxId, { ...query, limit: query.limit + 1 });
    const data = await Promise.all(records.slice(0, query.limit).map((hold) => this.view(sandboxId, hold)));
    return { data, hasMore: records.length > query.limit };
  }

  async get(sandboxId: string, holdId: string): Promise<Hold> {
    const hold = await this.holds.find(this.db, sandboxId, holdId);
    if (!hold) throw DomainError.notFound('hold', holdId);
    return this.view(sandboxId, hold);
  }

  private async view(sandboxId: string, hold: HoldRecord): Promise<Hold> {
    return holdView(hold, {
      audit: await this.holds.auditOf(this.db, sandboxId, hold.id),
      hits: await this.ruleHits.ofEvent(this.db, sandboxId, hold.triggerEventId),
      topupIds: await this.holds.topupIdsOf(this.db, sandboxId, hold.id),
    });
  }
}
