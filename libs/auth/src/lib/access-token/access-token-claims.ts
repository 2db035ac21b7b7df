import type { Role } from '@helpdesk/contracts';

/** The only algorithm an access token may be signed with; pinned, never read from the token. */
export const ACCESS_TOKEN_ALGORITHM = 'ES256';

/** The JOSE `typ` of an access token (RFC 9068): a service token or ID token can never pass for one. */
export const ACCESS_TOKEN_TYPE = 'at+jwt';

/**
 * The longest an access token may live. A revoked session is remembered this
 * long (plus the clock skew) after its revocation; a token claiming a longer
 * lifetime is refused, so nothing outlives the deny-list entry.
 */
export const MAX_ACCESS_TOKEN_TTL_SECONDS = 900;

/** How far apart the issuer's and this service's clocks may be. */
export const CLOCK_SKEW_SECONDS = 30;

const DEFAULT_ISSUER = 'helpdesk-user-service';
const DEFAULT_AUDIENCE = 'helpdesk-api';

/** What user-service signs into every access token. */
export interface AccessTokenClaims {
  /** `AUTH_ISSUER`, default `helpdesk-user-service`. */
  iss: string;
  /** `AUTH_AUDIENCE`, default `helpdesk-api`. */
  aud: string;
  /** The user's id (uuid). */
  sub: string;
  /** The user's organization (tenant) id (uuid). */
  tid: string;
  role: Role;
  /** The session (refresh-token family) id (uuid): what revocation is keyed on. */
  sid: string;
  /** The token's own id (uuid). */
  jti: string;
  /** Seconds since the epoch. */
  iat: number;
  /** Seconds since the epoch. */
  exp: number;
}

export function accessTokenIssuer(env: NodeJS.ProcessEnv = process.env): string {
  return env['AUTH_ISSUER'] || DEFAULT_ISSUER;
}

export function accessTokenAudience(env: NodeJS.ProcessEnv = process.env): string {
  return env['AUTH_AUDIENCE'] || DEFAULT_AUDIENCE;
}
