import { randomUUID } from 'node:crypto';

export const REQUEST_ID_HEADER = 'x-request-id';

/**
 * Ids that are safe to copy into logs, headers and event metadata. Anything
 * else (control characters, spaces, quotes, overlong values) could forge or
 * break log lines, so it is replaced rather than escaped.
 */
const SANE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * The id of an incoming request: the client's `X-Request-ID` when it is a
 * sane token, otherwise a fresh UUID v4.
 */
export function resolveRequestId(headerValue: string | string[] | undefined): string {
  const candidate = Array.isArray(headerValue) ? headerValue[0] : headerValue;
  return candidate !== undefined && SANE_REQUEST_ID.test(candidate) ? candidate : randomUUID();
}
