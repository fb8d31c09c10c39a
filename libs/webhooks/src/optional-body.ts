import type { Type } from '@nestjs/common';
import { createValidationPipe } from '#core';

const pipe = createValidationPipe();

/** Validates a body the client may leave out entirely (no body means `{}`), as strictly as any other body. */
export async function optionalBody<T extends object>(type: Type<T>, raw: unknown): Promise<T> {
  return (await pipe.transform(raw === undefined ? {} : raw, { type: 'body', metatype: type, data: undefined })) as T;
}
