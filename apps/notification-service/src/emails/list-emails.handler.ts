import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { pageWithTotal } from '@helpdesk/database';
import { pageOffset, paginate, type Paginated } from '@helpdesk/http';
import { EMAIL_VIEW_COLUMNS, toEmailView, type EmailRow, type EmailView } from './email-view';
import type { ListEmailsQuery } from './emails.dto';

export class ListEmailsQueryMessage {
  constructor(
    readonly tenantId: string,
    readonly query: ListEmailsQuery,
  ) {}
}

/** The organization's e-mails, newest first, filtered by recipient, template and status. */
@QueryHandler(ListEmailsQueryMessage)
export class ListEmailsHandler implements IQueryHandler<
  ListEmailsQueryMessage,
  Paginated<EmailView>
> {
  constructor(private readonly dataSource: DataSource) {}

  async execute({ tenantId, query }: ListEmailsQueryMessage): Promise<Paginated<EmailView>> {
    const conditions = ['tenant_id = $1'];
    const parameters: unknown[] = [tenantId];
    const add = (condition: (placeholder: string) => string, value: unknown): void => {
      parameters.push(value);
      conditions.push(condition(`$${parameters.length}`));
    };
    if (query.to !== undefined) add((p) => `lower("to") = ${p}`, query.to.trim().toLowerCase());
    if (query.template !== undefined) add((p) => `template = ${p}`, query.template);
    if (query.status !== undefined) add((p) => `status = ${p}`, query.status);
    const { rows, total } = await pageWithTotal<EmailRow>(this.dataSource, {
      columns: EMAIL_VIEW_COLUMNS,
      from: 'email',
      where: conditions.join(' AND '),
      parameters,
      orderBy: 'created_at DESC, id DESC',
      offset: pageOffset(query),
      limit: query.limit,
    });
    return paginate(rows.map(toEmailView), total, query);
  }
}
