import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  afterCommit,
  currentManager,
  isInTransaction,
  valuesPlaceholders,
} from '@helpdesk/database';
import { renderEmail, type TemplateName } from '../templates';
import { EmailSender } from './email-sender';
import { EMAIL_SETTINGS, type EmailSettings } from './email-settings';
import { headerSafe, isDeliverableAddress, normalizeAddress } from './header-safe';

/** 12 parameters a row: well under PostgreSQL's 65,535 per statement. */
const ROWS_PER_INSERT = 1_000;

export interface EmailToQueue {
  tenantId: string;
  template: TemplateName;
  data: Record<string, unknown>;
  to: { address: string; name?: string | null; userId?: string | null };
  /** What caused it: an event (one e-mail per event, recipient and template)… */
  eventId?: string;
  /** …or an internal caller's key (one e-mail per organization and key). */
  idempotencyKey?: string;
}

export type QueueOutcome =
  | { queued: true; id: string }
  | { queued: false; id?: string; reason: 'duplicate' | 'undeliverable-address' };

/**
 * Writes an e-mail into the `email` outbox table in the caller's transaction
 * (the consumer's inbox transaction for events), rendered now so the row is
 * exactly what will be sent. A second enqueue for the same cause, recipient
 * and template changes nothing. The sender is woken after commit.
 */
@Injectable()
export class EmailQueue {
  constructor(
    private readonly dataSource: DataSource,
    private readonly sender: EmailSender,
    @Inject(EMAIL_SETTINGS) private readonly settings: EmailSettings,
  ) {}

  async enqueue(email: EmailToQueue): Promise<QueueOutcome> {
    const [outcome] = await this.enqueueAll([email]);
    return outcome as QueueOutcome;
  }

  /** Several at once — one INSERT for all (a ticket event may mail every agent); outcomes in order. */
  async enqueueAll(emails: readonly EmailToQueue[]): Promise<QueueOutcome[]> {
    const outcomes: QueueOutcome[] = [];
    const rows: Array<{
      index: number;
      email: EmailToQueue;
      recipientKey: string;
      values: unknown[];
    }> = [];
    emails.forEach((email, index) => {
      const address = email.to.address.trim();
      outcomes[index] = { queued: false, reason: 'undeliverable-address' };
      if (!isDeliverableAddress(address)) return;
      const rendered = renderEmail(email.template, email.data, this.settings.webUrl);
      const recipientKey = email.to.userId ?? normalizeAddress(address);
      const values = [
        randomUUID(),
        email.tenantId,
        email.eventId ?? null,
        email.idempotencyKey ?? null,
        email.to.userId ?? null,
        recipientKey,
        address,
        email.to.name ? headerSafe(email.to.name) : null,
        email.template,
        rendered.subject,
        rendered.html,
        rendered.text,
      ];
      rows.push({ index, email, recipientKey, values });
    });
    const manager = currentManager(this.dataSource);
    const inserted = new Set<string>();
    for (let start = 0; start < rows.length; start += ROWS_PER_INSERT) {
      const chunk = rows.slice(start, start + ROWS_PER_INSERT);
      const returned: { id: string }[] = await manager.query(
        `INSERT INTO email (id, tenant_id, event_id, idempotency_key, recipient_user_id, recipient_key,
                            "to", to_name, template, subject, html, text)
         VALUES ${valuesPlaceholders(chunk.length, 12)}
         ON CONFLICT DO NOTHING
         RETURNING id`,
        chunk.flatMap((row) => row.values),
      );
      for (const { id } of returned) inserted.add(id);
    }
    for (const { index, email, recipientKey, values } of rows) {
      const id = values[0] as string;
      if (inserted.has(id)) {
        outcomes[index] = { queued: true, id };
        continue;
      }
      // Already queued for the same cause (a redelivered event, a retried call): say which.
      const [existing] = await manager.query(
        email.idempotencyKey !== undefined
          ? 'SELECT id FROM email WHERE tenant_id = $1 AND idempotency_key = $2'
          : 'SELECT id FROM email WHERE event_id = $2 AND recipient_key = $3 AND template = $4 AND tenant_id = $1',
        email.idempotencyKey !== undefined
          ? [email.tenantId, email.idempotencyKey]
          : [email.tenantId, email.eventId, recipientKey, email.template],
      );
      outcomes[index] = { queued: false, id: existing?.id, reason: 'duplicate' };
    }
    if (inserted.size > 0) {
      if (isInTransaction(this.dataSource)) afterCommit(this.dataSource, () => this.sender.wake());
      else this.sender.wake();
    }
    return outcomes;
  }
}
