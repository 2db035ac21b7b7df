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
import { errorMessage } from './common.schemas';

/**
 * Published by notification-service on `notification.events`; aggregateType
 * `webhook`, aggregateId the webhook id. The URL is left out: it may embed
 * credentials, and consumers can look the webhook up by id.
 */

const webhookDeliveryFailedPayload = object({
  webhookId: uuid(),
  deliveryId: uuid(),
  /** The delivered event. */
  eventId: uuid(),
  eventType: string({ max: 100 }),
  attempts: integer({ min: 1 }),
  /** The receiver's HTTP status; null when no answer came (timeout, refused connection). */
  responseStatus: nullable(integer({ min: 100, max: 599 })),
  error: errorMessage(),
  /** Null means no more attempts: the delivery is dead. */
  nextAttemptAt: nullable(isoTimestamp()),
});
export type WebhookDeliveryFailedPayload = Infer<typeof webhookDeliveryFailedPayload>;
export class WebhookDeliveryFailed extends defineEvent({
  eventType: 'webhook.delivery_failed',
  version: 1,
  aggregateType: 'webhook',
  payload: webhookDeliveryFailedPayload,
}) {}
