import type { OpenAPIObject, OperationObject } from '@nestjs/swagger';

export type Operation = OperationObject;

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

/** Every operation of the document with its method and path template. */
export function* operationsOf(document: OpenAPIObject): Generator<{ method: string; path: string; operation: Operation }> {
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of METHODS) {
      const operation = item[method];
      if (operation) yield { method, path, operation };
    }
  }
}
