import { ApiPropertyOptional, IntersectionType } from '@nestjs/swagger';
import {
  IsISO8601,
  IsOptional,
  IsString,
  Length,
  registerDecorator,
  type ValidationArguments,
} from 'class-validator';
import { PageQuery } from '@helpdesk/http';

/** Ids and names in the log are at most this long (the envelope's aggregateId limit). */
export const MAX_ID_LENGTH = 200;

/** An ISO-8601 instant; a time of day without an offset is read as UTC, not as the server's zone. */
export function instant(value: string): string {
  return new Date(inUtc(value)).toISOString();
}

const inUtc = (value: string) =>
  /T/.test(value) && !/(Z|[+-]\d\d(:?\d\d)?)$/i.test(value) ? `${value}Z` : value;

/** On `to`: not before `from` (once both are valid instants; their own validators report the rest). */
function IsNotBeforeFrom(): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isNotBeforeFrom',
      target: target.constructor,
      propertyName: String(propertyName),
      options: { message: 'must not be before from' },
      validator: {
        validate(value: unknown, { object }: ValidationArguments) {
          const from = (object as { from?: unknown }).from;
          if (typeof value !== 'string' || typeof from !== 'string') return true;
          const [start, end] = [Date.parse(inUtc(from)), Date.parse(inUtc(value))];
          return Number.isNaN(start) || Number.isNaN(end) || start <= end;
        },
      },
    });
}

const idFilter = (description: string) =>
  ApiPropertyOptional({ maxLength: MAX_ID_LENGTH, description });

/** The filters of search and export; every one optional, all matched exactly. */
export class AuditFilterQuery {
  @idFilter('aggregate type, e.g. `ticket`')
  @IsOptional()
  @IsString()
  @Length(1, MAX_ID_LENGTH)
  entityType?: string;

  @idFilter('aggregate id')
  @IsOptional()
  @IsString()
  @Length(1, MAX_ID_LENGTH)
  entityId?: string;

  @idFilter('a user id or a service name')
  @IsOptional()
  @IsString()
  @Length(1, MAX_ID_LENGTH)
  actorId?: string;

  @idFilter('e.g. `status_changed`')
  @IsOptional()
  @IsString()
  @Length(1, MAX_ID_LENGTH)
  action?: string;

  @idFilter('e.g. `ticket.status_changed`')
  @IsOptional()
  @IsString()
  @Length(1, MAX_ID_LENGTH)
  eventType?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'occurred at or after (inclusive)' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'must be an ISO-8601 date or date-time' })
  from?: string;

  @ApiPropertyOptional({
    format: 'date-time',
    description: 'occurred at or before (inclusive); not before `from`',
  })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'must be an ISO-8601 date or date-time' })
  @IsNotBeforeFrom()
  to?: string;
}

/** `GET /audit/search`: the filters, paginated. */
export class AuditSearchQuery extends IntersectionType(AuditFilterQuery, PageQuery) {}

/** The filters as the log's store takes them (instants normalised to UTC). */
export function auditFilter(query: AuditFilterQuery) {
  return {
    entityType: query.entityType,
    entityId: query.entityId,
    actorId: query.actorId,
    action: query.action,
    eventType: query.eventType,
    from: query.from === undefined ? undefined : instant(query.from),
    to: query.to === undefined ? undefined : instant(query.to),
  };
}
