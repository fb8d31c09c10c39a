import { Injectable } from '@nestjs/common';
import { DomainError, EventLog, type Page, type Topic } from '#core';
import { type EventView, eventView } from '../event-view.js';

/** The sandbox's event log: every outbox row, as `GET /v1/events` shows it. */
@Injectable()
export class ReadEvents {
  constructor(private readonly events: EventLog) {}

  /** Newest first, optionally of one type. */
  async list(sandboxId: string, query: { limit: number; startingAfter?: string; type?: Topic }): Promise<Page<EventView>> {
    const page = await this.events.list(sandboxId, query);
    return { data: page.data.map(eventView), has_more: page.hasMore };
  }

  async get(sandboxId: string, id: string): Promise<EventView> {
    const event = await this.events.get(sandboxId, id);
    if (!event) throw DomainError.notFound('event', id);
    return eventView(event);
  }
}
