import { Injectable } from '@nestjs/common';
import { EventLog, type Page, type Topic } from '#core';
import { type EventView, eventView } from '../event-view.js';

/** The sandbox's events (every outbox row), newest first, optionally of one type. */
@Injectable()
export class ListEvents {
  constructor(private readonly events: EventLog) {}

  async execute(sandboxId: string, query: { limit: number; startingAfter?: string; type?: Topic }): Promise<Page<EventView>> {
    const page = await this.events.list(sandboxId, query);
    return { data: page.data.map(eventView), has_more: page.hasMore };
  }
}
