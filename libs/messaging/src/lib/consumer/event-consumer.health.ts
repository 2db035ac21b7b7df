import { Injectable } from '@nestjs/common';
import type { HealthCheckResult, HealthIndicator } from '@helpdesk/observability';
import { EventConsumer } from './event-consumer';

/**
 * `events` on /health: down while the consumer has no broker connection (it
 * is reconnecting); lag and parked messages are reported, not judged, since
 * what counts as too many is the alerting rules' call.
 */
@Injectable()
export class EventConsumerHealthIndicator implements HealthIndicator {
  readonly name = 'events';

  constructor(private readonly consumer: EventConsumer) {}

  async check(): Promise<HealthCheckResult> {
    const { connected, ...details } = this.consumer.status();
    return connected
      ? { status: 'up', details: { connected, ...details } }
      : {
          status: 'down',
          details: { connected, ...details },
          error: 'not connected to the broker',
        };
  }
}
