import type { OpenAPIObject } from '@nestjs/swagger';
import { SIMULATION_CASES } from '#core';
import { operationsOf } from './operations.js';

/** Headers every call of a kind reads, declared once and referenced by each operation that reads them. */
export const COMMON_PARAMETERS = {
  IdempotencyKey: {
    name: 'Idempotency-Key',
    in: 'header',
    required: false,
    description:
      'Retry safely: the same key with the same request answers what the first answer was for 24 hours ' +
      '(409 `idempotency_in_progress` while it runs, 422 `idempotency_key_reused` with another request).',
    schema: { type: 'string', minLength: 1, maxLength: 255, pattern: '^[\\x21-\\x7e]+$' },
  },
  SandboxSimulate: {
    name: 'Sandbox-Simulate',
    in: 'header',
    required: false,
    description:
      'Forces the documented refusal of that case on this call, whatever the operation, before anything is written; ' +
      'the answer carries `Sandbox-Simulated` (docs/api-and-contract.md, "Simulating failures").',
    schema: { type: 'string', enum: SIMULATION_CASES },
  },
  SandboxClientIp: {
    name: 'Sandbox-Client-Ip',
    in: 'header',
    required: false,
    description:
      'In a sandbox created with `simulatedClientIps`, the IP address the call is taken to come from; other sandboxes ignore it.',
    schema: { type: 'string' },
  },
} as const;

const ref = (name: keyof typeof COMMON_PARAMETERS) => ({ $ref: `#/components/parameters/${name}` });

/**
 * Every authenticated operation reads Sandbox-Simulate and Sandbox-Client-Ip,
 * every authenticated POST Idempotency-Key; public operations need no
 * credential, which the document says with an empty security list.
 */
export function addCommonParameters(document: OpenAPIObject): void {
  Object.assign(((document.components ??= {}).parameters ??= {}), COMMON_PARAMETERS);
  for (const { method, operation } of operationsOf(document)) {
    if (!operation.security || operation.security.length === 0) {
      operation.security = [];
      continue;
    }
    const parameters = (operation.parameters ??= []);
    parameters.push(ref('SandboxSimulate'), ref('SandboxClientIp'));
    if (method === 'post') parameters.push(ref('IdempotencyKey'));
  }
}
