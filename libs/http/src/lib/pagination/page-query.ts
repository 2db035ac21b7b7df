import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, Min } from 'class-validator';

export const DEFAULT_PAGE_LIMIT = 20;
export const MAX_PAGE_LIMIT = 100;

/** Query strings are text: numbers are converted, anything else is left for the validators to reject. */
function toNumberIfNumeric(value: unknown): unknown {
  if (typeof value !== 'string' || value.trim() === '') return value;
  const number = Number(value);
  return Number.isFinite(number) ? number : value;
}

/**
 * `?page=&limit=` of every list. Extend it with the list's own filters:
 * `class ListTicketsQuery extends PageQuery { ... }`.
 */
export class PageQuery {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, default: 1 })
  @Transform(({ value }) => toNumberIfNumeric(value))
  @IsInt()
  @Min(1)
  page = 1;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    default: DEFAULT_PAGE_LIMIT,
    description: `Items per page; a value above ${MAX_PAGE_LIMIT} is treated as ${MAX_PAGE_LIMIT}.`,
  })
  @Transform(({ value }) => {
    const number = toNumberIfNumeric(value);
    // Clamped rather than rejected: asking for "as many as you allow" is a legitimate request.
    return typeof number === 'number' ? Math.min(number, MAX_PAGE_LIMIT) : number;
  })
  @IsInt()
  @Min(1)
  limit: number = DEFAULT_PAGE_LIMIT;
}
