import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { afterCommit, currentManager, isInTransaction } from '@helpdesk/database';
import { renderEmail, type TemplateName } from '../templates';
import { EmailSender } from './email-sender';
import { EMAIL_SETTINGS, type EmailSettings } from './email-settings';
import { headerSafe, isDeliverableAddress, normalizeAddress } from './header-safe';

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
    const address = email.to.address.trim();
    if (!isDeliverableAddress(address)) return { queued: false, reason: 'undeliverable-address' };
    const rendered = renderEmail(email.template, email.data, this.settings.webUrl);
    const manager = currentManager(this.dataSource);
    const recipientKey = email.to.userId ?? normalizeAddress(address);
    const rows: { id: string }[] = await manager.query(
      `INSERT INTO email (id, tenant_id, event_id, idempotency_key, recipient_user_id, recipient_key,
                          "to", to_name, template, subject, html, text)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
       ON CONFLICT DO NOTHING
       RETURNING id`,
      [
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
      ],
    );
    if (rows.length === 0) {
      const [existing] = await manager.query(
        email.idempotencyKey !== undefined
          ? 'SELECT id FROM email WHERE tenant_id = $1 AND idempotency_key = $2'
          : 'SELECT id FROM email WHERE event_id = $2 AND recipient_key = $3 AND template = $4 AND tenant_id = $1',
        email.idempotencyKey !== undefined
          ? [email.tenantId, email.idempotencyKey]
          : [email.tenantId, email.eventId, recipientKey, email.template],
      );
      return { queued: false, id: existing?.id, reason: 'duplicate' };
    }
    if (isInTransaction(this.dataSource)) afterCommit(this.dataSource, () => this.sender.wake());
    else this.sender.wake();
    return { queued: true, id: rows[0].id };
  }
}
