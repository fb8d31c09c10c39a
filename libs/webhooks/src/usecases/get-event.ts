import { Injectable } from '@nestjs/common';
import { DomainError, EventLog } from '#core';
import { type EventView, eventView } from '../event-view.js';

/** One event of the sandbox's log. */
@Injectable()
export class GetEvent {
  constructor(private readonly events: EventLog) {}

  async execute(sandboxId: string, id: string): Promise<EventView> {
    const event = await this.events.get(sandboxId, id);
    if (!event) throw DomainError.notFound('event', id);
    return eventView(event);
  }
}
