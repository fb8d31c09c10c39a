import { type ExecutionContext, type Type, createParamDecorator } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import type { FastifyRequest } from 'fastify';
import type { FieldError } from '../errors/domain-error.js';
import { createValidationPipe } from './validation.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Set by `@NoBody()`. */
    takesNoBody?: boolean;
  }
}

const pipe = createValidationPipe();

/**
 * The body of a call whose fields are all optional: no body at all means
 * `{}`, and whatever is sent is validated as strictly as any other body.
 */
export const OptionalBody = createParamDecorator((type: Type<object>, context: ExecutionContext) => {
  const raw = context.switchToHttp().getRequest<FastifyRequest>().body;
  return pipe.transform(raw === undefined ? {} : raw, { type: 'body', metatype: type, data: undefined });
});

/** A call that takes no body: nothing or `{}` is fine, fields are refused rather than ignored. */
export const NoBody = (): MethodDecorator => RouteConfig({ takesNoBody: true });

/** What a request sent to a `@NoBody()` call; read at the edge, so a refused request runs no guard or handler. */
export function unexpectedBody(request: FastifyRequest): FieldError[] {
  const body = request.body;
  if (!request.routeOptions.config.takesNoBody || body === undefined) return [];
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    return [{ field: 'body', message: 'must be left out: this call takes no body' }];
  }
  return Object.keys(body).map((field) => ({ field, message: 'is not accepted: this call takes no body' }));
}
