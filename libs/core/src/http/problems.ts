import { METHOD_METADATA } from '@nestjs/common/constants.js';
import { DECORATORS } from '@nestjs/swagger';
import type { ErrorCode } from '../errors/domain-error.js';

/** Carries an operation's own refusals into the OpenAPI document, where the api's contract turns them into responses. */
export const PROBLEMS_EXTENSION = 'x-problems';

function addProblems(handler: object, codes: readonly ErrorCode[]): void {
  const extensions = (Reflect.getMetadata(DECORATORS.API_EXTENSION, handler) ?? {}) as Record<string, unknown>;
  const listed = (extensions[PROBLEMS_EXTENSION] as ErrorCode[] | undefined) ?? [];
  Reflect.defineMetadata(DECORATORS.API_EXTENSION, { ...extensions, [PROBLEMS_EXTENSION]: [...new Set([...listed, ...codes])] }, handler);
}

/**
 * The refusals an operation gives of its own. Those every call of its kind
 * can get (a missing credential, a malformed body or id, an Idempotency-Key
 * reused) the contract adds by itself, so list only what the call's rules
 * add. Uses add up (a guard's decorator lists its own), on a method or on
 * every route of a controller.
 */
export function Problems(...codes: ErrorCode[]): MethodDecorator & ClassDecorator {
  return ((target: object, _key?: string | symbol, descriptor?: PropertyDescriptor) => {
    if (descriptor) {
      addProblems(descriptor.value as object, codes);
      return descriptor;
    }
    const prototype = (target as { prototype: object }).prototype;
    for (const name of Object.getOwnPropertyNames(prototype)) {
      const method = Object.getOwnPropertyDescriptor(prototype, name)?.value as unknown;
      if (name !== 'constructor' && typeof method === 'function' && Reflect.hasMetadata(METHOD_METADATA, method))
        addProblems(method, codes);
    }
    return target;
  }) as MethodDecorator & ClassDecorator;
}
