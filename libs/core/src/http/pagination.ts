import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Matches, Max, Min } from 'class-validator';

/** `?limit=&starting_after=` on every list (API.md). */
export class PageQuery {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 100, default: 20 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit = 20;

  @ApiPropertyOptional({ description: 'Id of the last item of the previous page' })
  @IsOptional()
  @Matches(/^[a-z]{2,4}_[0-9a-z]{26}$/, { message: 'starting_after must be an id from a previous page' })
  starting_after?: string;
}

export interface Page<T> {
  data: T[];
  has_more: boolean;
}
