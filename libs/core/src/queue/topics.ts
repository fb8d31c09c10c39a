import { TOPIC_PAYLOAD_SCHEMAS } from './topic-payload-schemas.js';

/**
 * Each event type's `data`, by type. Core declares it empty; the module that
 * publishes an event declares it in its `<module>.events.ts`, by declaration
 * merging:
 *
 *     declare module '#core' {
 *       interface TopicPayloads {
 *         'payment.voided': PaymentFacts;
 *       }
 *     }
 *
 * Event types are persisted (outbox rows, the event log, webhook endpoints'
 * subscriptions, customers' code): never rename or remove one without a
 * migration plan. `npm run client:generate` turns these types into the JSON
 * Schemas of the webhooks contract.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- each module adds its events
export interface TopicPayloads {}

/** Public event types: every outbox row is one of these and shows in `GET /v1/events`. */
export type Topic = keyof TopicPayloads & string;

/** Every event type at run time (types are gone by then), as the generated schemas list them. */
export const TOPICS = Object.keys(TOPIC_PAYLOAD_SCHEMAS.definitions.TopicPayloads.properties) as Topic[];

/**
 * Whole yen: money is an integer everywhere.
 * @asType integer
 */
export type Yen = number;

/**
 * A whole number of things or seconds.
 * @asType integer
 */
export type Count = number;

/** What a job born from an outbox row carries: the event itself, which never changes. */
export interface EventJob<T extends Topic = Topic> {
  eventId: string;
  sandboxId: string;
  type: T;
  data: TopicPayloads[T];
  requestId: string | null;
  /** Sandbox time of the state change (ISO 8601): what time-window rules measure from. */
  occurredAt: string;
}
