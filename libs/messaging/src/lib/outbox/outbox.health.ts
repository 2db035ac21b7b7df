import type { HealthCheckResult, HealthIndicator } from '@helpdesk/observability';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { OUTBOX_RELAY_OPTIONS } from './outbox-relay';
import type { ResolvedRelayOptions } from './outbox-options';
import { outboxStats } from './outbox-store';

/**
 * Down when events stop leaving: the oldest pending row is older than
 * maxPendingAgeMs. Rows the broker returned as unroutable do not count: the
 * service and its broker work, nobody subscribes to those events yet (say,
 * before the first consumer of an exchange is deployed), and the relay keeps
 * them until someone does. They are reported as `awaitingSubscriber`.
 */
@Injectable()
export class OutboxHealthIndicator implements HealthIndicator {
  readonly name = 'outbox';

  constructor(
    private readonly dataSource: DataSource,
    @Inject(OUTBOX_RELAY_OPTIONS) private readonly options: ResolvedRelayOptions,
  ) {}

  async check(): Promise<HealthCheckResult> {
    const stats = await outboxStats(this.dataSource);
    const details = {
      backlog: stats.pending,
      oldestPendingAgeSeconds: Math.round(stats.oldestPendingAgeSeconds),
      awaitingSubscriber: stats.awaitingSubscriber,
    };
    const limitSeconds = this.options.maxPendingAgeMs / 1000;
    if (stats.oldestStuckAgeSeconds > limitSeconds)
      return {
        status: 'down',
        details,
        error: `an event has waited ${Math.round(stats.oldestStuckAgeSeconds)} s to be published (limit ${limitSeconds} s)`,
      };
    return { status: 'up', details };
  }
}
