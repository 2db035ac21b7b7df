import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
  MaxLength,
  ValidateNested,
  registerDecorator,
  type ValidationArguments,
} from 'class-validator';
import { IsOmittable, NOT_BLANK, NOT_BLANK_MESSAGE } from '../directory/validation';

const SLUG = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/;
const CLOCK_TIME = /^(?:[01]\d|2[0-3]):[0-5]\d$/;
/** The characters of IANA zone names (and what the events' schema accepts). */
const TIME_ZONE_NAME = /^[A-Za-z0-9_+\-/]+$/;

/** A name the platform's Intl knows as a time zone: `Europe/Berlin`, `UTC`. */
export function isTimeZone(value: unknown): boolean {
  if (typeof value !== 'string' || value.length > 64 || !TIME_ZONE_NAME.test(value)) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

/** `europe/berlin` is stored as `Europe/Berlin`; aliases stay as written (Intl would rename some). */
export function timeZoneSpelling(value: unknown): unknown {
  if (!isTimeZone(value)) return value;
  const resolved = new Intl.DateTimeFormat('en', { timeZone: value as string }).resolvedOptions()
    .timeZone;
  return resolved.toLowerCase() === (value as string).toLowerCase() ? resolved : value;
}

function IsTimeZone(): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isTimeZone',
      target: target.constructor,
      propertyName: String(propertyName),
      options: { message: 'must be an IANA time zone such as Europe/Berlin' },
      validator: { validate: isTimeZone },
    });
}

/** On `end`: later than the sibling `start` (both HH:MM, so text order is time order). */
function IsAfterStart(): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isAfterStart',
      target: target.constructor,
      propertyName: String(propertyName),
      options: { message: 'must be later than start' },
      validator: {
        validate(value: unknown, { object }: ValidationArguments) {
          const start = (object as { start?: unknown }).start;
          if (typeof value !== 'string' || typeof start !== 'string' || !CLOCK_TIME.test(start))
            return true;
          return value > start;
        },
      },
    });
}

export class BusinessHoursBody {
  @ApiProperty({
    type: [Number],
    example: [1, 2, 3, 4, 5],
    description: 'ISO weekdays, 1 = Monday … 7 = Sunday; unique',
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(7)
  @ArrayUnique({ message: 'must not repeat a weekday' })
  @IsInt({ each: true })
  @Min(1, { each: true })
  @Max(7, { each: true })
  weekdays!: number[];

  @ApiProperty({ example: '09:00', pattern: 'HH:MM' })
  @IsString()
  @Matches(CLOCK_TIME, { message: 'must be a time HH:MM' })
  start!: string;

  @ApiProperty({ example: '17:00', pattern: 'HH:MM', description: 'later than start' })
  @IsString()
  @Matches(CLOCK_TIME, { message: 'must be a time HH:MM' })
  @IsAfterStart()
  end!: string;
}

export class UpdateOrganizationBody {
  @ApiPropertyOptional({ example: 'Acme Inc.', minLength: 1, maxLength: 200 })
  @IsOmittable()
  @IsString()
  @Length(1, 200)
  @Matches(NOT_BLANK, { message: NOT_BLANK_MESSAGE })
  name?: string;

  @ApiPropertyOptional({
    example: 'acme',
    minLength: 2,
    maxLength: 63,
    description: 'what members sign in with; a slug another organization uses is 409',
  })
  @IsOmittable()
  @IsString()
  @Length(2, 63)
  @Matches(SLUG, { message: 'must be lowercase letters, digits and inner hyphens' })
  slug?: string;

  @ApiPropertyOptional({ description: 'whether strangers may register as requesters' })
  @IsOmittable()
  @IsBoolean()
  allowSelfRegistration?: boolean;

  @ApiPropertyOptional({
    type: BusinessHoursBody,
    nullable: true,
    description: 'null: around the clock',
  })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => BusinessHoursBody)
  businessHours?: BusinessHoursBody | null;

  @ApiPropertyOptional({ example: 'Europe/Berlin', maxLength: 64 })
  @IsOmittable()
  @IsString()
  @MaxLength(64)
  @IsTimeZone()
  @Transform(({ value }) => timeZoneSpelling(value))
  timezone?: string;
}
