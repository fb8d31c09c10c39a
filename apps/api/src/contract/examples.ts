import type { OpenAPIObject } from '@nestjs/swagger';
import { sample } from 'openapi-sampler';
import { operationsOf } from './operations.js';

type Media = { schema?: object; example?: unknown; examples?: unknown };

/** An example for every JSON body of the document that has none, built from its schema's own examples and types. */
export function addExamples(document: OpenAPIObject): void {
  const fill = (media: Media | undefined): void => {
    if (!media?.schema || media.example !== undefined || media.examples !== undefined) return;
    media.example = sample(media.schema as never, { skipWriteOnly: true, quiet: true }, document);
  };
  for (const { operation } of operationsOf(document)) {
    const body = operation.requestBody;
    if (body && 'content' in body) fill(body.content['application/json'] as Media | undefined);
    for (const response of Object.values(operation.responses)) {
      if (response && 'content' in response && response.content) fill(response.content['application/json'] as Media | undefined);
    }
  }
}
