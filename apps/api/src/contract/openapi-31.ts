import type { OpenAPIObject } from '@nestjs/swagger';

type Node = Record<string, unknown>;

/** A schema that also admits null, in JSON Schema 2020-12's words. */
function admitNull(schema: Node): Node {
  const { nullable: _nullable, ...rest } = schema;
  // `type: X` beside `allOf`/`$ref` (how @nestjs/swagger writes a nullable DTO) would still refuse null: wrap it instead.
  if (typeof rest.type === 'string' && !rest.allOf && !rest.$ref) {
    const enumValues = Array.isArray(rest.enum) ? { enum: [...rest.enum, null] } : {};
    return { ...rest, type: [rest.type, 'null'], ...enumValues };
  }
  const { description, type, ...shape } = rest;
  if (type !== undefined && type !== 'object') shape.type = type;
  return { ...(description === undefined ? {} : { description }), anyOf: [shape, { type: 'null' }] };
}

function upgrade(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(upgrade);
  if (value === null || typeof value !== 'object') return value;
  const node = Object.fromEntries(Object.entries(value).map(([key, child]) => [key, upgrade(child)])) as Node;
  if (node.nullable === true) return admitNull(node);
  if (node.nullable === false) delete node.nullable;
  return node;
}

/**
 * @nestjs/swagger writes OpenAPI 3.0 schemas; 3.1's are JSON Schema 2020-12,
 * where `nullable` is a type of its own. Validators and generators of 3.1
 * read only the latter.
 */
export function toOpenApi31(document: OpenAPIObject): OpenAPIObject {
  return { ...(upgrade(document) as OpenAPIObject), openapi: '3.1.0' };
}
