import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsIn,
  IsISO8601,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  registerDecorator,
  ValidateIf,
} from 'class-validator';
import type { ActorType } from '@helpdesk/contracts';
import type { Changes } from './audit-entry';
import { MAX_ID_LENGTH } from './audit.dto';

const ACTOR_TYPES = ['user', 'service', 'system'] as const;
/** Lower-case words with `_` or `-`, like the catalogue's aggregate types and actions. */
const NAME = /^[a-z][a-z0-9_-]*$/;
const NAME_MESSAGE = 'must be lower-case letters, digits, "_" or "-", starting with a letter';

/** `{ field: { from, to } }`: every value an object with exactly `from` and `to`. */
function IsChanges(): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isChanges',
      target: target.constructor,
      propertyName: String(propertyName),
      options: { message: 'must be { field: { from, to } } with 1–100 fields' },
      validator: {
        validate(value: unknown) {
          if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
          const fields = Object.entries(value);
          return (
            fields.length >= 1 &&
            fields.length <= 100 &&
            fields.every(
              ([name, change]) =>
                name.length <= MAX_ID_LENGTH &&
                typeof change === 'object' &&
                change !== null &&
                !Array.isArray(change) &&
                Object.keys(change).sort().join() === 'from,to',
            )
          );
        },
      },
    });
}

const nullable = () => ValidateIf((_body, value) => value !== null && value !== undefined);

/** `POST /internal/audit/log`: an entry a service records that no integration event carries. */
export class LogAuditEntryBody {
  @ApiProperty({ format: 'uuid' }) @IsUUID() organizationId!: string;

  @ApiProperty({ example: 'ticket', maxLength: 100 })
  @IsString()
  @Length(1, 100)
  @Matches(NAME, { message: NAME_MESSAGE })
  entityType!: string;

  @ApiProperty({ maxLength: MAX_ID_LENGTH })
  @IsString()
  @Length(1, MAX_ID_LENGTH)
  entityId!: string;

  @ApiProperty({ example: 'exported', maxLength: 100 })
  @IsString()
  @Length(1, 100)
  @Matches(NAME, { message: NAME_MESSAGE })
  action!: string;

  @ApiPropertyOptional({ nullable: true, type: String, maxLength: MAX_ID_LENGTH })
  @nullable()
  @IsString()
  @Length(1, MAX_ID_LENGTH)
  actorId?: string | null;

  @ApiProperty({ enum: ACTOR_TYPES })
  @IsIn(ACTOR_TYPES, { message: `must be one of ${ACTOR_TYPES.join(', ')}` })
  actorType!: ActorType;

  @ApiPropertyOptional({
    nullable: true,
    type: 'object',
    additionalProperties: true,
    description: '`{ field: { from, to } }`',
  })
  @nullable()
  @IsChanges()
  changes?: Changes | null;

  @ApiPropertyOptional({ nullable: true, type: String, maxLength: 64 })
  @nullable()
  @IsString()
  @Length(1, 64)
  ip?: string | null;

  @ApiPropertyOptional({ nullable: true, type: String, maxLength: 512 })
  @nullable()
  @IsString()
  @Length(1, 512)
  userAgent?: string | null;

  @ApiPropertyOptional({
    nullable: true,
    type: String,
    maxLength: MAX_ID_LENGTH,
    description: 'defaults to the request’s X-Request-ID',
  })
  @nullable()
  @IsString()
  @Length(1, MAX_ID_LENGTH)
  correlationId?: string | null;

  @ApiPropertyOptional({ format: 'date-time', description: 'defaults to now' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'must be an ISO-8601 date-time' })
  occurredAt?: string;
}
