import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  MaxLength,
  ValidateIf,
} from 'class-validator';
import {
  TICKET_PRIORITIES,
  TICKET_STATUSES,
  type TicketPriority,
  type TicketStatus,
} from '@helpdesk/contracts';
import { PageQuery, SortParam } from '@helpdesk/http';

/** A label: up to 50 characters, not blank, no commas (surrounding space is trimmed later). */
const TAG = /^\s*[^\s,][^,]{0,49}$/;

export class CreateTicketBody {
  @ApiProperty({ minLength: 1, maxLength: 200 }) @IsString() @Length(1, 200) title!: string;
  @ApiProperty({ minLength: 1, maxLength: 20000 })
  @IsString()
  @Length(1, 20000)
  description!: string;

  @ApiPropertyOptional({ enum: TICKET_PRIORITIES, default: 'normal' })
  @IsOptional()
  @IsIn(TICKET_PRIORITIES)
  priority?: TicketPriority;

  @ApiPropertyOptional({ type: [String], maxItems: 20 })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @Matches(TAG, { each: true, message: 'must be 1–50 characters, not blank, without commas' })
  tags?: string[];

  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() departmentId?: string;

  @ApiPropertyOptional({
    format: 'uuid',
    description: 'agents and up: on behalf of this requester',
  })
  @IsOptional()
  @IsUUID()
  requesterId?: string;
}

export class UpdateTicketBody {
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 200) title?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 20000) description?: string;
  @ApiPropertyOptional({ enum: TICKET_STATUSES })
  @IsOptional()
  @IsIn(TICKET_STATUSES)
  status?: TicketStatus;
  @ApiPropertyOptional({ enum: TICKET_PRIORITIES })
  @IsOptional()
  @IsIn(TICKET_PRIORITIES)
  priority?: TicketPriority;

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @Matches(TAG, { each: true, message: 'must be 1–50 characters, not blank, without commas' })
  tags?: string[];

  @ApiPropertyOptional({ format: 'uuid', nullable: true, type: String })
  @IsOptional()
  @ValidateIf((_body, value) => value !== null)
  @IsUUID()
  departmentId?: string | null;
}

export class AssignTicketBody {
  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'null unassigns' })
  @ValidateIf((_body, value) => value !== null)
  @IsUUID()
  assigneeId!: string | null;
}

export class AddCommentBody {
  @ApiProperty({ minLength: 1, maxLength: 20000 }) @IsString() @Length(1, 20000) body!: string;
  @ApiPropertyOptional({ default: false, description: 'agents and up: visible to staff only' })
  @IsOptional()
  @IsBoolean()
  internal?: boolean;
}

export const TICKET_SORTS = ['createdAt', 'updatedAt', 'priority'] as const;

export class ListTicketsQuery extends PageQuery {
  @ApiPropertyOptional({ enum: TICKET_STATUSES })
  @IsOptional()
  @IsIn(TICKET_STATUSES)
  status?: TicketStatus;
  @ApiPropertyOptional({ enum: TICKET_PRIORITIES })
  @IsOptional()
  @IsIn(TICKET_PRIORITIES)
  priority?: TicketPriority;

  @ApiPropertyOptional({ description: 'a user id, or `none` for unassigned tickets' })
  @IsOptional()
  @ValidateIf((_query, value) => value !== 'none')
  @IsUUID(undefined, { message: 'must be a UUID or none' })
  assigneeId?: string;

  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() requesterId?: string;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() departmentId?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 50) tag?: string;

  @ApiPropertyOptional({ description: 'words to find in title and description' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  @Transform(({ value }) => (typeof value === 'string' ? value.trim() : value))
  q?: string;

  @SortParam([...TICKET_SORTS], '-createdAt')
  sort?: string;
}
