import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsEmail,
  IsIn,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
} from 'class-validator';
import { PageQuery } from '@helpdesk/http';
import { TEMPLATE_NAMES, type TemplateName } from '../templates';
import { EMAIL_STATUSES, type EmailStatus } from './email-view';

export class ListEmailsQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'the recipient address (case-insensitive, exact)' })
  @IsOptional()
  @IsString()
  @MaxLength(254)
  to?: string;

  @ApiPropertyOptional({ enum: TEMPLATE_NAMES })
  @IsOptional()
  @IsIn(TEMPLATE_NAMES)
  template?: TemplateName;

  @ApiPropertyOptional({ enum: EMAIL_STATUSES })
  @IsOptional()
  @IsIn(EMAIL_STATUSES)
  status?: EmailStatus;
}

export class SendEmailBody {
  @ApiProperty({ format: 'uuid' }) @IsUUID() organizationId!: string;

  @ApiProperty({ format: 'email', maxLength: 254 })
  @IsString()
  @MaxLength(254)
  @IsEmail({ allow_display_name: false }, { message: 'must be an e-mail address' })
  to!: string;

  @ApiProperty({ enum: TEMPLATE_NAMES }) @IsIn(TEMPLATE_NAMES) template!: TemplateName;

  @ApiProperty({ type: 'object', additionalProperties: true, description: 'the template’s data' })
  @IsObject()
  data!: Record<string, unknown>;

  @ApiProperty({ maxLength: 255, description: 'the same key again enqueues nothing new' })
  @IsString()
  @Matches(/^[\x21-\x7e]{1,255}$/, { message: 'must be 1–255 visible ASCII characters' })
  idempotencyKey!: string;
}

export class SendEmailAnswer {
  @ApiProperty({ format: 'uuid' }) id!: string;
}
