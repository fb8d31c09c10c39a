import { Injectable } from '@nestjs/common';
import { Database } from '#core';
import { type Alert, type AlertSubject, RuleHitsRepository } from '../rule-hits.repository.js';

/** Alerts, newest first: rule hits on a store or an IP address. */
@Injectable()
export class ListAlerts {
  constructor(
    private readonly db: Database,
    private readonly ruleHits: RuleHitsRepository,
  ) {}

  async list(
    sandboxId: string,
    query: { subjectType?: AlertSubject; limit: number; startingAfter?: string },
  ): Promise<{ data: Alert[]; hasMore: boolean }> {
    const alerts = await this.ruleHits.listAlerts(this.db, sandboxId, { ...query, limit: query.limit + 1 });
    return { data: alerts.slice(0, query.limit), hasMore: alerts.length > query.limit };
  }
}
