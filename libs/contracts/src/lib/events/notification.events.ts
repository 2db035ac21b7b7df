import { defineEvent } from '../define-event';
import {
  integer,
  isoTimestamp,
  nullable,
  object,
  string,
  uuid,
  type Infer,
} from '../schema/schema';
import { email, errorMessage } from './common.schemas';

/** Published by notification-service on `notification.events`; aggregateType `email`, aggregateId the e-mail id. */

const templateName = () =>
  string({ max: 100, pattern: /^[a-z0-9_.-]+$/, patternName: 'a template name (a-z, 0-9, _ . -)' });

const notificationEmailSentPayload = object({
  emailId: uuid(),
  to: email(),
  template: templateName(),
  subject: string({ max: 500 }),
  attempts: integer({ min: 1 }),
  /** The event that caused the e-mail, if any. */
  sourceEventId: nullable(uuid()),
});
export type NotificationEmailSentPayload = Infer<typeof notificationEmailSentPayload>;
export class NotificationEmailSent extends defineEvent({
  eventType: 'notification.email_sent',
  version: 1,
  aggregateType: 'email',
  payload: notificationEmailSentPayload,
}) {}

/** One failed attempt; `nextAttemptAt` null means no more attempts: the e-mail is dead. */
const notificationEmailFailedPayload = object({
  emailId: uuid(),
  to: email(),
  template: templateName(),
  attempts: integer({ min: 1 }),
  error: errorMessage(),
  nextAttemptAt: nullable(isoTimestamp()),
  sourceEventId: nullable(uuid()),
});
export type NotificationEmailFailedPayload = Infer<typeof notificationEmailFailedPayload>;
export class NotificationEmailFailed extends defineEvent({
  eventType: 'notification.email_failed',
  version: 1,
  aggregateType: 'email',
  payload: notificationEmailFailedPayload,
}) {}
