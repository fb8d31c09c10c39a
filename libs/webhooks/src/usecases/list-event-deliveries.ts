import { Injectable } from '@nestjs/common';
import { DomainError, EventLog } from '#core';
import { type Attempt, DeliveriesRepository } from '../deliveries.repository.js';

/** Every attempt to deliver an event, to every endpoint, newest first. */
@Injectable()
export class ListEventDeliveries {
  constructor(
    private readonly events: EventLog,
    private readonly deliveries: DeliveriesRepository,
  ) {}

  async execute(
    sandboxId: string,
    eventId: string,
    page: { limit: number; startingAfter?: string },
  ): Promise<{ data: Attempt[]; hasMore: boolean }> {
    if (!(await this.events.get(sandboxId, eventId))) throw DomainError.notFound('event', eventId);
    return this.deliveries.attemptsOfEvent(sandboxId, eventId, page);
  }
}
