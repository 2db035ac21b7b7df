import type { MessageProperties } from 'amqplib';
import { PUBLISH_BOOKKEEPING_HEADERS } from './publish-confirmed';

/**
 * Headers a failed message carries on its way through the retry queues and
 * into the dead-letter queue. Everything an operator needs to judge it is on
 * the message itself, so the DLQ needs no side table.
 */
export const FailureHeader = {
  attempts: 'x-attempts',
  firstFailureAt: 'x-first-failure-at',
  lastFailureAt: 'x-last-failure-at',
  lastError: 'x-last-error',
  originalExchange: 'x-original-exchange',
  originalRoutingKey: 'x-original-routing-key',
  /** Only in the DLQ: `refused` (never valid, never retried) or `failed` (handlers kept failing). */
  deadLetterReason: 'x-dead-letter-reason',
} as const;

export type DeadLetterReason = 'refused' | 'failed';

/** Broker and publisher bookkeeping that must not be copied onto a message we publish ourselves. */
const BOOKKEEPING_HEADERS = [
  'x-death',
  'x-delivery-count',
  'x-first-death-exchange',
  'x-first-death-queue',
  'x-first-death-reason',
  ...PUBLISH_BOOKKEEPING_HEADERS,
];

const MAX_ERROR_LENGTH = 2_000;

type Headers = Record<string, unknown>;

function headersOf(properties: MessageProperties): Headers {
  return (properties.headers ?? {}) as Headers;
}

/** Failed attempts recorded so far (0 for a fresh message). */
export function attemptsOf(properties: MessageProperties): number {
  const value = Number(headersOf(properties)[FailureHeader.attempts] ?? 0);
  return Number.isInteger(value) && value > 0 ? value : 0;
}

export function stringHeader(properties: MessageProperties, name: string): string | undefined {
  const value = headersOf(properties)[name];
  if (value === undefined || value === null) return undefined;
  return Buffer.isBuffer(value) ? value.toString('utf8') : String(value);
}

/** Where the message was first published: kept across retries, which arrive via the default exchange. */
export function originOf(
  properties: MessageProperties,
  delivered: { exchange: string; routingKey: string },
): { exchange: string; routingKey: string } {
  return {
    exchange: stringHeader(properties, FailureHeader.originalExchange) ?? delivered.exchange,
    routingKey: stringHeader(properties, FailureHeader.originalRoutingKey) ?? delivered.routingKey,
  };
}

export function errorText(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return text.length > MAX_ERROR_LENGTH ? `${text.slice(0, MAX_ERROR_LENGTH)}…` : text;
}

/** The application headers of a message, without the broker's and the publisher's bookkeeping. */
export function applicationHeaders(properties: MessageProperties): Headers {
  const headers = { ...headersOf(properties) };
  for (const name of BOOKKEEPING_HEADERS) delete headers[name];
  return headers;
}

export interface FailureRecord {
  attempts: number;
  error: string;
  origin: { exchange: string; routingKey: string };
  at: Date;
  reason?: DeadLetterReason;
}

/** The headers for a message's next stop after a failed (or refused) attempt. */
export function failureHeaders(properties: MessageProperties, failure: FailureRecord): Headers {
  const now = failure.at.toISOString();
  const headers: Headers = {
    ...applicationHeaders(properties),
    [FailureHeader.attempts]: failure.attempts,
    [FailureHeader.firstFailureAt]: stringHeader(properties, FailureHeader.firstFailureAt) ?? now,
    [FailureHeader.lastFailureAt]: now,
    [FailureHeader.lastError]: failure.error,
    [FailureHeader.originalExchange]: failure.origin.exchange,
    [FailureHeader.originalRoutingKey]: failure.origin.routingKey,
  };
  if (failure.reason) headers[FailureHeader.deadLetterReason] = failure.reason;
  return headers;
}

/** A copy of the message's properties for republishing it with new headers. */
export function republishOptions(
  properties: MessageProperties,
  headers: Headers,
): Record<string, unknown> {
  return {
    persistent: true,
    contentType: properties.contentType ?? 'application/json',
    messageId: properties.messageId,
    type: properties.type,
    timestamp: properties.timestamp,
    headers,
  };
}
