import type { OpenAPIObject } from '@nestjs/swagger';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

type Json = Record<string, unknown>;

/** What the contract says of one reply: nothing when it keeps to it. */
export interface ContractReply {
  method: string;
  path: string;
  status: number;
  headers: Headers;
  body: unknown;
  text: string;
}

interface Route {
  method: string;
  template: string;
  pattern: RegExp;
  params: number;
  operation: Json;
}

const ID = 'contract';

/** JSON Pointer escaping of one reference token. */
const token = (value: string) => value.replace(/~/g, '~0').replace(/\//g, '~1');

/**
 * Checks replies against the OpenAPI document the api serves: the status is
 * one the operation lists, the media type one it describes, the body valid
 * against its schema (JSON Schema 2020-12), required headers present. A
 * refusal forced by `Sandbox-Simulate` only has to be a problem.
 */
export class Contract {
  private readonly ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true });
  private readonly routes: Route[] = [];
  private readonly validators = new Map<string, ValidateFunction>();

  constructor(readonly document: OpenAPIObject) {
    (addFormats as unknown as (ajv: Ajv2020) => void)(this.ajv);
    // The whole document under one id, so `#/components/…` references resolve wherever a schema is compiled from.
    this.ajv.addSchema({ ...document, $id: ID } as Json, ID);
    for (const [template, item] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(item as Json)) {
        if (typeof operation !== 'object' || operation === null || !('responses' in operation)) continue;
        const source = template
          .split(/\{[^}]+\}/)
          .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
          .join('[^/]+');
        this.routes.push({
          method,
          template,
          pattern: new RegExp(`^${source}$`),
          params: (template.match(/\{/g) ?? []).length,
          operation: operation as Json,
        });
      }
    }
    // Literal segments win over parameters (/v1/events/stream before /v1/events/{id}).
    this.routes.sort((a, b) => a.params - b.params);
  }

  /** The documented operation a request reaches, or null when the document does not describe it. */
  route(method: string, path: string): Route | null {
    const bare = path.split('?')[0];
    return this.routes.find((route) => route.method === method.toLowerCase() && route.pattern.test(bare)) ?? null;
  }

  /** Every way the reply departs from the document; empty when it keeps to it. */
  check(reply: ContractReply): string[] {
    const route = this.route(reply.method, reply.path);
    if (!route) return [];
    const where = `${reply.method.toUpperCase()} ${route.template} → ${reply.status}`;
    const responses = route.operation.responses as Json;
    const simulated = reply.headers.has('sandbox-simulated');
    const key = [String(reply.status), `${String(reply.status)[0]}XX`, 'default'].find((k) => k in responses);
    if (!key && !simulated) return [`${where}: the status is not documented (documented: ${Object.keys(responses).join(', ')})`];
    const mediaType = (reply.headers.get('content-type') ?? '').split(';')[0].trim();
    if (simulated) return this.validate(where, '#/components/schemas/Problem', reply.body);

    const response = responses[key as string] as Json;
    const problems: string[] = [];
    for (const [name, header] of Object.entries((response.headers ?? {}) as Record<string, Json>)) {
      if (header.required && !reply.headers.has(name)) problems.push(`${where}: the required header ${name} is missing`);
    }
    const content = response.content as Record<string, Json> | undefined;
    if (!content) {
      if (reply.text.length > 0 && reply.status !== 204) problems.push(`${where}: a body came, the document describes none`);
      return problems;
    }
    if (!(mediaType in content)) {
      return [
        ...problems,
        `${where}: the media type ${mediaType || '(none)'} is not documented (documented: ${Object.keys(content).join(', ')})`,
      ];
    }
    if (!mediaType.endsWith('json') || !content[mediaType].schema) return problems;
    const pointer = ['paths', route.template, route.method, 'responses', key as string, 'content', mediaType, 'schema']
      .map(token)
      .join('/');
    return [...problems, ...this.validate(where, `#/${pointer}`, reply.body)];
  }

  /** The reply's problems, or an error that says each of them. */
  assert(reply: ContractReply): void {
    const problems = this.check(reply);
    if (problems.length > 0) {
      throw new Error(`The reply departs from the OpenAPI document:\n  ${problems.join('\n  ')}\nBody: ${reply.text.slice(0, 2_000)}`);
    }
  }

  /** `data` of a stored event against its webhook's payload schema. */
  checkEvent(type: string, data: unknown): string[] {
    const webhook = (this.document.webhooks as Record<string, Json> | undefined)?.[type];
    if (!webhook) return [`event ${type}: no webhook describes it`];
    const pointer = ['webhooks', type, 'post', 'requestBody', 'content', 'application/json', 'schema'].map(token).join('/');
    return this.validate(`event ${type}`, `#/${pointer}`, {
      id: 'evt_x',
      object: 'event',
      type,
      createdAt: new Date().toISOString(),
      data,
      requestId: null,
    });
  }

  private validate(where: string, pointer: string, value: unknown): string[] {
    let validate = this.validators.get(pointer);
    if (!validate) {
      validate = this.ajv.compile({ $ref: `${ID}${pointer}` });
      this.validators.set(pointer, validate);
    }
    if (validate(value)) return [];
    return (validate.errors ?? []).map(
      (error) => `${where}: body${error.instancePath} ${error.message ?? ''} ${JSON.stringify(error.params)}`,
    );
  }
}
