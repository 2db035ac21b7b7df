import { EventsHandler, type IEventHandler } from '@nestjs/cqrs';
import { SessionRevoked } from '@helpdesk/contracts';
import { currentManager } from '@helpdesk/database';
import { DataSource } from 'typeorm';
import {
  CLOCK_SKEW_SECONDS,
  MAX_ACCESS_TOKEN_TTL_SECONDS,
} from '../access-token/access-token-claims';
import { recordSessionRevocation } from './record-session-revocation';

/**
 * Keeps this service's deny-list in step with user-service: list it in the
 * app's providers next to `EventConsumerModule`. It runs inside the consumer's
 * inbox transaction (hence `currentManager`), so the row and the inbox entry
 * commit together and a redelivered event changes nothing.
 */
@EventsHandler(SessionRevoked)
export class SessionRevokedHandler implements IEventHandler<SessionRevoked> {
  constructor(private readonly dataSource: DataSource) {}

  async handle(event: SessionRevoked): Promise<void> {
    // A token issued just before the revocation lives at most this long after it.
    const lifetimeMs = (MAX_ACCESS_TOKEN_TTL_SECONDS + CLOCK_SKEW_SECONDS) * 1000;
    await recordSessionRevocation(currentManager(this.dataSource), {
      sessionId: event.payload.sessionId,
      tenantId: event.tenantId,
      expiresAt: new Date(Date.parse(event.timestamp) + lifetimeMs),
    });
  }
}
