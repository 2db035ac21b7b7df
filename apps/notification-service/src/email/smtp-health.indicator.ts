import { Injectable } from '@nestjs/common';
import type { HealthCheckResult, HealthIndicator } from '@helpdesk/observability';
import { SmtpMailer } from './smtp-mailer';

/**
 * `smtp` on /health: always up — while the SMTP server is away the service
 * keeps queueing and retries later, so it is not a reason to take the
 * service out of rotation. The details say whether it was reachable at the
 * last check (background verify every 15 s, and every send).
 */
@Injectable()
export class SmtpHealthIndicator implements HealthIndicator {
  readonly name = 'smtp';
  constructor(private readonly mailer: SmtpMailer) {}

  async check(): Promise<HealthCheckResult> {
    return { status: 'up', details: this.mailer.status() };
  }
}
