import type { OpenAPIObject } from '@nestjs/swagger';
import { TOPIC_PAYLOAD_SCHEMAS } from '#core';
import { SIGNATURE_HEADER, STANDARD_WEBHOOK_HEADERS } from '#webhooks';

type Json = Record<string, unknown>;

const header = (name: string, description: string, schema: Json = { type: 'string' }) => ({
  name,
  in: 'header',
  required: true,
  description,
  schema,
});

/** The headers every delivery carries (docs/webhooks.md). */
const DELIVERY_HEADERS = [
  header(
    SIGNATURE_HEADER,
    "`t=<unix seconds>,v1=<hex HMAC-SHA256 of '<t>.<raw body>'>`, keyed with the whole secret; one `v1` per secret during a rotation",
  ),
  header(STANDARD_WEBHOOK_HEADERS.id, 'Standard Webhooks: the event id, the same on every retry and redelivery'),
  header(STANDARD_WEBHOOK_HEADERS.timestamp, 'Standard Webhooks: unix seconds of this attempt, the same as `t`', {
    type: 'string',
    pattern: '^[0-9]+$',
  }),
  header(
    STANDARD_WEBHOOK_HEADERS.signature,
    'Standard Webhooks: `v1,<base64>`, space-separated, one per secret, keyed with the bytes after `whsec_`',
  ),
  header('Wallet-Event-Id', 'The event id'),
];

/** `payment.captured` → `PaymentCapturedData`: the component name of an event type's `data`. */
function dataSchemaName(topic: string): string {
  const words = topic.split(/[._]/).map((word) => word.charAt(0).toUpperCase() + word.slice(1));
  return `${words.join('')}Data`;
}

/** The generated schemas point at `#/definitions/…`; in the document they live among the components. */
function relink(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(relink);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, child]) => [
      key,
      key === '$ref' && typeof child === 'string' ? child.replace('#/definitions/', '#/components/schemas/') : relink(child),
    ]),
  );
}

/**
 * The `webhooks` section: each event type as its delivery POSTs it (the
 * envelope of `GET /v1/events/{id}`, with that type's `data`), from the
 * JSON Schemas generated out of `TopicPayloads`.
 */
export function addWebhooks(document: OpenAPIObject): void {
  const schemas = ((document.components ??= {}).schemas ??= {}) as Json;
  const { TopicPayloads, ...shared } = relink(TOPIC_PAYLOAD_SCHEMAS.definitions) as Json & { TopicPayloads?: { properties: Json } };
  if (!TopicPayloads) throw new Error('TOPIC_PAYLOAD_SCHEMAS is empty: run npm run client:generate');
  for (const [name, schema] of Object.entries(shared)) {
    if (schemas[name]) throw new Error(`event schema ${name} collides with a component of the same name`);
    schemas[name] = schema;
  }
  const webhooks: Json = {};
  for (const [topic, data] of Object.entries(TopicPayloads.properties) as Array<[string, Json]>) {
    const name = dataSchemaName(topic);
    schemas[name] = data;
    webhooks[topic] = {
      post: {
        operationId: `on${name.replace(/Data$/, '')}`,
        summary: `${topic}${typeof data.description === 'string' ? `: ${data.description}` : ''}`,
        tags: ['webhooks'],
        // Deliveries carry signatures, not credentials (docs/webhooks.md).
        security: [],
        parameters: DELIVERY_HEADERS,
        description:
          'Delivered to every enabled endpoint subscribed to this type (or to `*`), signed with `Wallet-Signature`. ' +
          'The body is the event as `GET /v1/events/{id}` shows it.',
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                allOf: [
                  { $ref: '#/components/schemas/EventDto' },
                  { type: 'object', properties: { type: { const: topic }, data: { $ref: `#/components/schemas/${name}` } } },
                ],
              },
            },
          },
        },
        responses: {
          '2XX': { description: 'Acknowledged: any 2xx within 10 seconds. Anything else is retried on the schedule of docs/webhooks.md.' },
        },
      },
    };
  }
  document.webhooks = webhooks as OpenAPIObject['webhooks'];
}
