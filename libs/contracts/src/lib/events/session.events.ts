import { defineEvent } from '../define-event';
import { object, oneOf, uuid, type Infer } from '../schema/schema';

/**
 * Published by user-service on `user.events`; aggregateType `session`,
 * aggregateId the session id. Every service keeps a short deny-list of revoked
 * sessions so that their access tokens are refused before they expire.
 */

const sessionRevokedPayload = object({
  sessionId: uuid(),
  userId: uuid(),
  reason: oneOf([
    'logout',
    'revoked',
    'password_changed',
    'user_deleted',
    'refresh_token_reuse',
  ] as const),
});
export type SessionRevokedPayload = Infer<typeof sessionRevokedPayload>;
export class SessionRevoked extends defineEvent({
  eventType: 'session.revoked',
  version: 1,
  aggregateType: 'session',
  payload: sessionRevokedPayload,
}) {}
