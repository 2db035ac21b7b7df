import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { ProblemException } from '../problem/problem';

export type SortDirection = 'ASC' | 'DESC';

export interface SortOrder<Field extends string> {
  field: Field;
  direction: SortDirection;
}

/** `createdAt` sorts ascending, `-createdAt` descending. */
export type SortValue<Field extends string> = Field | `-${Field}`;

/** Every accepted `sort` value for these fields, both directions. */
export function sortValues<Field extends string>(fields: readonly Field[]): SortValue<Field>[] {
  return fields.flatMap((field) => [field, `-${field}` as const]);
}

function mustBeOneOf(fields: readonly string[]): string {
  return `must be one of ${sortValues(fields).join(', ')}`;
}

/**
 * Declares a DTO's `sort` query property: optional, one of `fields` with an
 * optional leading `-`; any other value is a 400 naming `sort`.
 */
export function SortParam(fields: readonly string[], defaultValue?: string): PropertyDecorator {
  const allowed = sortValues(fields);
  return applyDecorators(
    ApiPropertyOptional({
      enum: allowed,
      default: defaultValue,
      description: 'A leading "-" sorts descending.',
    }),
    IsOptional(),
    IsIn(allowed, { message: mustBeOneOf(fields) }),
  );
}

/** Turns a `sort` value into field and direction; unknown values are a 400 naming `sort`. */
export function parseSort<Field extends string>(
  value: string | undefined,
  fields: readonly Field[],
  fallback: SortValue<Field>,
): SortOrder<Field> {
  const requested = value ?? fallback;
  const descending = requested.startsWith('-');
  const field = (descending ? requested.slice(1) : requested) as Field;
  if (!fields.includes(field)) throw ProblemException.invalidField('sort', mustBeOneOf(fields));
  return { field, direction: descending ? 'DESC' : 'ASC' };
}
