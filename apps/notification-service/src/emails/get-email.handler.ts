import { NotFoundException } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { isUUID } from 'class-validator';
import { DataSource } from 'typeorm';
import { EMAIL_VIEW_COLUMNS, toEmailView, type EmailView } from './email-view';

export class GetEmailQuery {
  constructor(
    readonly tenantId: string,
    readonly emailId: string,
  ) {}
}

/** Another organization's e-mail is 404, as if it did not exist. */
@QueryHandler(GetEmailQuery)
export class GetEmailHandler implements IQueryHandler<GetEmailQuery, EmailView> {
  constructor(private readonly dataSource: DataSource) {}

  async execute({ tenantId, emailId }: GetEmailQuery): Promise<EmailView> {
    const [row] = isUUID(emailId)
      ? await this.dataSource.query(
          `SELECT ${EMAIL_VIEW_COLUMNS} FROM email WHERE id = $1 AND tenant_id = $2`,
          [emailId, tenantId],
        )
      : [];
    if (!row) throw new NotFoundException('E-mail not found');
    return toEmailView(row);
  }
}
