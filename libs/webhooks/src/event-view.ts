/** An event as `GET /v1/events/:id` shows it and as webhooks deliver it. */
export interface EventView {
  id: string;
  object: 'event';
  type: string;
  /** Sandbox time of the state change. */
  createdAt: string;
  data: Record<string, unknown>;
  requestId: string | null;
}

/** What both a stored event and a queued event job say. */
interface EventFacts {
  id: string;
  type: string;
  occurredAt: Date | string;
  data: unknown;
  requestId: string | null;
}

export function eventView(event: EventFacts): EventView {
  return {
    id: event.id,
    object: 'event',
    type: event.type,
    createdAt: new Date(event.occurredAt).toISOString(),
    data: event.data as Record<string, unknown>,
    requestId: event.requestId,
  };
}

/** The bytes a delivery POSTs, the same on every attempt. */
export function eventBody(event: EventFacts): string {
  return JSON.stringify(eventView(event));
}
