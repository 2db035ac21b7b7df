/**
 * Just enough of JWS compact serialization (RFC 7515) to verify our two token
 * kinds with node:crypto. Written here rather than taken from a JWT library so
 * that the algorithm is pinned by the caller and nothing in a token's header
 * (alg, jku, x5u, jwk, crit) can choose how it is checked.
 */

/** Larger tokens are refused unread: ours are a few hundred bytes. */
export const MAX_TOKEN_LENGTH = 8 * 1024;

const BASE64URL_SEGMENT = /^[A-Za-z0-9_-]+$/;

export interface CompactJws {
  header: Record<string, unknown>;
  /** The payload bytes as sent; parsed only after the signature is checked. */
  encodedPayload: string;
  signature: Buffer;
  /** `header.payload`: the bytes the signature covers. */
  signingInput: string;
}

/** Why a token could not even be read; the caller wraps it in its own error. */
export class MalformedTokenError extends Error {}

export function base64UrlEncode(data: Buffer | string): string {
  return Buffer.from(data).toString('base64url');
}

export function encodeJsonSegment(value: unknown): string {
  return base64UrlEncode(JSON.stringify(value));
}

/** A JSON object from a base64url segment; anything else (array, number, bad JSON) is malformed. */
export function decodeJsonObject(segment: string, what: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
  } catch {
    throw new MalformedTokenError(`${what} is not JSON`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new MalformedTokenError(`${what} is not a JSON object`);
  }
  return value as Record<string, unknown>;
}

export function splitCompactJws(token: unknown): CompactJws {
  if (typeof token !== 'string' || token.length === 0) throw new MalformedTokenError('empty');
  if (token.length > MAX_TOKEN_LENGTH) throw new MalformedTokenError('too long');
  const parts = token.split('.');
  if (parts.length !== 3) throw new MalformedTokenError('not three parts');
  const [encodedHeader, encodedPayload, encodedSignature] = parts as [string, string, string];
  // An empty signature is how `alg: none` tokens look; it never gets further.
  if (![encodedHeader, encodedPayload, encodedSignature].every((p) => BASE64URL_SEGMENT.test(p))) {
    throw new MalformedTokenError('not base64url');
  }
  return {
    header: decodeJsonObject(encodedHeader, 'header'),
    encodedPayload,
    signature: Buffer.from(encodedSignature, 'base64url'),
    signingInput: `${encodedHeader}.${encodedPayload}`,
  };
}
