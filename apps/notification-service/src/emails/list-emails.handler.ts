import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { pageOffset, paginate, type Paginated } from '@helpdesk/http';
import { EMAIL_VIEW_COLUMNS, toEmailView, type EmailView } from './email-view';
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
    const where = conditions.join(' AND ');
    const [rows, [{ total }]] = await Promise.all([
      this.dataSource.query(
        `SELECT ${EMAIL_VIEW_COLUMNS} FROM email WHERE ${where}
          ORDER BY created_at DESC, id DESC
          LIMIT $${parameters.length + 1} OFFSET $${parameters.length + 2}`,
        [...parameters, query.limit, pageOffset(query)],
      ),
      this.dataSource.query(`SELECT count(*)::int AS total FROM email WHERE ${where}`, parameters),
    ]);
    return paginate(rows.map(toEmailView), total, query);
  }
}
