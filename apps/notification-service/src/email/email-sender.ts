import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { EventBus } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { NotificationEmailFailed, NotificationEmailSent } from '@helpdesk/contracts';
import { withTransaction } from '@helpdesk/database';
import { raise } from '@helpdesk/messaging';
import { ACCOUNT_TEMPLATES, isTemplateName } from '../templates';
import { returningRows } from '../persistence/returning-rows';
import { EMAIL_SETTINGS, type EmailSettings } from './email-settings';
import { SmtpMailer, type SendFailure } from './smtp-mailer';

interface ClaimedRow {
  id: string;
  tenant_id: string;
  event_id: string | null;
  to: string;
  to_name: string | null;
  template: string;
  subject: string;
  html: string;
  text: string;
  attempts: number;
}

const SERVICE_ACTOR = { actorId: 'notification-service', actorType: 'service' } as const;
/** Bodies of account mails carry one-time links: not kept once they are out (or never will be). */
const REDACTED_BODY = '[removed after delivery: it contained a one-time link]';
const SEND_CONCURRENCY = 3;

/** An attempt's outcome event: about the e-mail, at its attempt, caused by what queued it. */
const outcomeEnvelope = (row: ClaimedRow) => ({
  tenantId: row.tenant_id,
  aggregateId: row.id,
  aggregateVersion: row.attempts,
  actor: SERVICE_ACTOR,
  causationId: row.event_id,
});

/**
 * Drains the `email` table: every `pollIntervalMs`, and at once when an
 * enqueue commits. Claims due rows with FOR UPDATE SKIP LOCKED (so replicas
 * share the work), marks them `sending` with a lease, sends, and records the
 * outcome together with its `notification.*` event in one transaction.
 */
@Injectable()
export class EmailSender implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(EmailSender.name);
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly eventBus: EventBus,
    private readonly mailer: SmtpMailer,
    @Inject(EMAIL_SETTINGS) private readonly settings: EmailSettings,
  ) {}

  onApplicationBootstrap(): void {
    this.schedule();
    this.wake();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  /** Runs a round now (or right after the one in progress). */
  wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.drain().finally(() => {
      this.running = undefined;
      if (this.again) {
        this.again = false;
        this.wake();
      }
    });
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.wake();
      this.schedule();
    }, this.settings.pollIntervalMs);
    this.timer.unref();
  }

  private async drain(): Promise<void> {
    try {
      for (;;) {
        if (this.stopped) return;
        const rows = await this.claim();
        if (rows.length === 0) return;
        await this.sendAll(rows);
        if (rows.length < this.settings.batchSize) return;
      }
    } catch (error) {
      this.logger.error(`e-mail round failed: ${error instanceof Error ? error.message : error}`);
    }
  }

  /** Due: queued or failed whose time has come, or sending whose lease ran out (a crashed sender). */
  private async claim(): Promise<ClaimedRow[]> {
    return returningRows<ClaimedRow>(
      await this.dataSource.query(
        `UPDATE email e
          SET status = 'sending', attempts = e.attempts + 1,
              next_attempt_at = now() + make_interval(secs => $2::double precision / 1000)
         FROM (SELECT id FROM email
                WHERE status IN ('queued', 'failed', 'sending') AND next_attempt_at <= now()
                ORDER BY next_attempt_at
                LIMIT $1
                FOR UPDATE SKIP LOCKED) due
        WHERE e.id = due.id
        RETURNING e.id, e.tenant_id, e.event_id, e."to", e.to_name, e.template, e.subject,
                  e.html, e.text, e.attempts`,
        [this.settings.batchSize, this.settings.sendingLeaseMs],
      ),
    );
  }

  private async sendAll(rows: ClaimedRow[]): Promise<void> {
    const queue = [...rows];
    const worker = async (): Promise<void> => {
      for (let row = queue.shift(); row; row = queue.shift()) await this.sendOne(row);
    };
    await Promise.all(Array.from({ length: Math.min(SEND_CONCURRENCY, rows.length) }, worker));
  }

  private async sendOne(row: ClaimedRow): Promise<void> {
    try {
      await this.mailer.send({
        id: row.id,
        to: row.to,
        toName: row.to_name,
        subject: row.subject,
        html: row.html,
        text: row.text,
      });
    } catch (error) {
      const failure: SendFailure =
        error && typeof (error as SendFailure).permanent === 'boolean'
          ? (error as SendFailure)
          : { permanent: false, message: String(error) };
      await this.recordFailure(row, failure);
      return;
    }
    await this.recordSent(row);
  }

  private redacts(template: string): boolean {
    return isTemplateName(template) && ACCOUNT_TEMPLATES.has(template) && template !== 'welcome';
  }

  private async recordSent(row: ClaimedRow): Promise<void> {
    await withTransaction(this.dataSource, async (manager) => {
      const updated = returningRows(
        await manager.query(
          `UPDATE email SET status = 'sent', sent_at = now(), last_error = NULL
                ${this.redacts(row.template) ? ', html = $3, text = $3' : ''}
          WHERE id = $1 AND status = 'sending' AND attempts = $2
          RETURNING id`,
          this.redacts(row.template)
            ? [row.id, row.attempts, REDACTED_BODY]
            : [row.id, row.attempts],
        ),
      );
      // Another sender took the row over after our lease ran out: its outcome counts.
      if (updated.length === 0) return;
      await this.eventBus.publish(
        raise(NotificationEmailSent, {
          ...outcomeEnvelope(row),
          payload: {
            emailId: row.id,
            to: row.to,
            template: row.template,
            subject: row.subject,
            attempts: row.attempts,
            sourceEventId: row.event_id,
          },
        }),
      );
    });
  }

  private async recordFailure(row: ClaimedRow, failure: SendFailure): Promise<void> {
    const dead = failure.permanent || row.attempts >= this.settings.maxAttempts;
    const delays = this.settings.retryDelaysMs;
    const delayMs = delays[Math.min(row.attempts - 1, delays.length - 1)];
    const nextAttemptAt = dead ? null : new Date(Date.now() + delayMs);
    if (!dead)
      this.logger.warn(
        `e-mail ${row.id} attempt ${row.attempts} failed, next at ${nextAttemptAt?.toISOString()}: ${failure.message}`,
      );
    else
      this.logger.error(
        `e-mail ${row.id} dead after ${row.attempts} attempt(s): ${failure.message}`,
      );
    await withTransaction(this.dataSource, async (manager) => {
      const redact = dead && this.redacts(row.template);
      const updated = returningRows(
        await manager.query(
          `UPDATE email SET status = $3, last_error = $4, next_attempt_at = COALESCE($5, next_attempt_at)
                ${redact ? ', html = $6, text = $6' : ''}
          WHERE id = $1 AND status = 'sending' AND attempts = $2
          RETURNING id`,
          [
            row.id,
            row.attempts,
            dead ? 'dead' : 'failed',
            failure.message,
            nextAttemptAt,
            ...(redact ? [REDACTED_BODY] : []),
          ],
        ),
      );
      if (updated.length === 0) return;
      await this.eventBus.publish(
        raise(NotificationEmailFailed, {
          ...outcomeEnvelope(row),
          payload: {
            emailId: row.id,
            to: row.to,
            template: row.template,
            attempts: row.attempts,
            error: failure.message || 'unknown error',
            nextAttemptAt: nextAttemptAt?.toISOString() ?? null,
            sourceEventId: row.event_id,
          },
        }),
      );
    });
  }
}
