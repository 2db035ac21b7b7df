import { ApiProperty } from '@nestjs/swagger';

export const EMAIL_STATUSES = ['queued', 'sending', 'sent', 'failed', 'dead'] as const;
export type EmailStatus = (typeof EMAIL_STATUSES)[number];

/** What admins see of an e-mail: never its body (it may carry a one-time link). */
export class EmailView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'email' }) to!: string;
  @ApiProperty({ example: 'ticket-assigned' }) template!: string;
  @ApiProperty() subject!: string;
  @ApiProperty({ enum: EMAIL_STATUSES }) status!: EmailStatus;
  @ApiProperty() attempts!: number;
  @ApiProperty({ nullable: true, type: String }) lastError!: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) sentAt!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

export interface EmailRow {
  id: string;
  to: string;
  template: string;
  subject: string;
  status: EmailStatus;
  attempts: number;
  last_error: string | null;
  sent_at: Date | null;
  created_at: Date;
}

export const EMAIL_VIEW_COLUMNS =
  'id, "to", template, subject, status, attempts, last_error, sent_at, created_at';

export function toEmailView(row: EmailRow): EmailView {
  return {
    id: row.id,
    to: row.to,
    template: row.template,
    subject: row.subject,
    status: row.status,
    attempts: row.attempts,
    lastError: row.last_error,
    sentAt: row.sent_at?.toISOString() ?? null,
    createdAt: row.created_at.toISOString(),
  };
}
