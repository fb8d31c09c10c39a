import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { ValidateBy, type ValidationOptions } from 'class-validator';

/** Yen amounts: positive safe integers (JPY has no minor unit), checked at the edge. */
export function IsYenAmount(options: ValidationOptions = {}): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isYenAmount',
      validator: {
        validate: (value: unknown) => typeof value === 'number' && Number.isSafeInteger(value) && value > 0,
        defaultMessage: () => 'must be a positive integer number of yen, at most 9007199254740991',
      },
    },
    options,
  );
}

export function YenAmount(description: string): PropertyDecorator {
  return applyDecorators(
    IsYenAmount(),
    ApiProperty({ description, type: 'integer', minimum: 1, maximum: Number.MAX_SAFE_INTEGER, example: 1200 }),
  );
}
