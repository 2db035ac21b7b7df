import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsObject,
  Max,
  Min,
  registerDecorator,
  ValidateNested,
  type ValidationArguments,
} from 'class-validator';
import { TICKET_PRIORITIES, type TicketPriority } from '@helpdesk/contracts';
import { ProblemException, type FieldError } from '@helpdesk/http';

/** A year of minutes: beyond that a target means nothing. */
export const MAX_SLA_MINUTES = 525_600;

/** On `resolutionMinutes`: not before the first response is due. */
function IsAtLeastFirstResponse(): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isAtLeastFirstResponse',
      target: target.constructor,
      propertyName: String(propertyName),
      options: { message: 'must be at least firstResponseMinutes' },
      validator: {
        validate(value: unknown, { object }: ValidationArguments) {
          const first = (object as { firstResponseMinutes?: unknown }).firstResponseMinutes;
          // Only once both are valid numbers; their own validators report the rest.
          if (typeof value !== 'number' || typeof first !== 'number' || !Number.isInteger(first))
            return true;
          return value >= first;
        },
      },
    });
}

export class SlaTargetBody {
  @ApiProperty({ enum: TICKET_PRIORITIES, example: 'urgent', description: 'each at most once' })
  @IsIn(TICKET_PRIORITIES, { message: `must be one of ${TICKET_PRIORITIES.join(', ')}` })
  priority!: TicketPriority;

  @ApiProperty({ example: 60, minimum: 1, maximum: MAX_SLA_MINUTES })
  @IsInt()
  @Min(1)
  @Max(MAX_SLA_MINUTES)
  firstResponseMinutes!: number;

  @ApiProperty({
    example: 240,
    minimum: 1,
    maximum: MAX_SLA_MINUTES,
    description: 'at least firstResponseMinutes',
  })
  @IsInt()
  @Min(1)
  @Max(MAX_SLA_MINUTES)
  @IsAtLeastFirstResponse()
  resolutionMinutes!: number;
}

export class UpdateSlaPoliciesBody {
  @ApiProperty({
    type: [SlaTargetBody],
    description:
      'targets per priority, each priority at most once; a priority left out has no SLA target',
  })
  @IsArray()
  @ValidateNested({ each: true })
  @IsObject({ each: true })
  @Type(() => SlaTargetBody)
  policies!: SlaTargetBody[];

  @ApiProperty({
    description:
      'true: minutes count only within the organization’s business hours; false: around the clock',
  })
  @IsBoolean()
  businessHoursOnly!: boolean;
}

/** 400 naming each `policies[i].priority` that repeats an earlier one. */
export function assertDistinctPriorities(body: UpdateSlaPoliciesBody): void {
  const seen = new Map<TicketPriority, number>();
  const errors: FieldError[] = [];
  body.policies.forEach((target, index) => {
    const first = seen.get(target.priority);
    if (first === undefined) seen.set(target.priority, index);
    else
      errors.push({
        field: `policies[${index}].priority`,
        message: `repeats policies[${first}].priority (${target.priority}); each priority at most once`,
      });
  });
  if (errors.length > 0) throw ProblemException.invalidFields(errors);
}

export class SlaTargetView {
  @ApiProperty({ enum: TICKET_PRIORITIES })
  priority!: TicketPriority;

  @ApiProperty({ example: 60 })
  firstResponseMinutes!: number;

  @ApiProperty({ example: 240 })
  resolutionMinutes!: number;
}

export class SlaPoliciesView {
  @ApiProperty({
    type: [SlaTargetView],
    description: 'most severe first; a priority not listed has no SLA target',
  })
  policies!: SlaTargetView[];

  @ApiProperty()
  businessHoursOnly!: boolean;
}
