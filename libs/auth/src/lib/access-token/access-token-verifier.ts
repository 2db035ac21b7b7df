import { type KeyObject, verify as verifySignature } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { MalformedTokenError, decodeJsonObject, splitCompactJws } from '../jws/compact-jws';
import { isValidKeyId } from '../keys/key-id';
import type { SigningKeyResolver } from '../keys/signing-key-resolver';
import { isRole } from '../roles/roles';
import {
  ACCESS_TOKEN_ALGORITHM,
  ACCESS_TOKEN_TYPE,
  CLOCK_SKEW_SECONDS,
  MAX_ACCESS_TOKEN_TTL_SECONDS,
  accessTokenAudience,
  accessTokenIssuer,
} from './access-token-claims';
import type { Actor } from './actor';
import { type Clock, systemClock } from './clock';
import { InvalidAccessTokenError } from './invalid-access-token.error';
import { NO_REVOCATIONS, type RevocationList } from './revocation-list';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An ES256 signature in JOSE form is r‖s, 32 bytes each (not DER). */
const ES256_SIGNATURE_BYTES = 64;

/** Distinct tokens whose signature check is remembered; ~1 KiB each. */
const VERIFIED_SIGNATURES = 10_000;

interface VerifiedSignature {
  kid: string;
  key: KeyObject;
  claims: Record<string, unknown>;
}

/**
 * Checks an access token completely — form, pinned algorithm and type, key,
 * signature, time, issuer, audience, claims, revocation — and says who it
 * speaks for. Every refusal is an InvalidAccessTokenError.
 */
@Injectable()
export class AccessTokenVerifier {
  /**
   * A client sends the same token with every request for its whole life, and
   * the P-256 signature check was the largest single cost of a cheap read
   * (~6 % of a list request's CPU). The outcome is remembered per exact token
   * string, together with the key that verified it: only the signature and
   * payload decoding are skipped. The key is still resolved on every request
   * (a retired key stops its tokens at once), and time, issuer, audience,
   * claims and revocation are checked every time.
   */
  private readonly verifiedSignatures = new Map<string, VerifiedSignature>();

  constructor(
    private readonly keys: SigningKeyResolver,
    private readonly issuer: string = accessTokenIssuer(),
    private readonly audience: string = accessTokenAudience(),
    private readonly revocations: RevocationList = NO_REVOCATIONS,
    private readonly clock: Clock = systemClock,
  ) {}

  async verify(token: string): Promise<Actor> {
    const verified = this.verifiedSignatures.get(token);
    if (verified && (await this.keys.resolve(verified.kid)) === verified.key) {
      try {
        return this.actorFrom(verified.claims);
      } catch (error) {
        this.verifiedSignatures.delete(token); // refused now: checked in full next time
        throw error;
      }
    }
    let jws;
    try {
      jws = splitCompactJws(token);
    } catch (error) {
      if (error instanceof MalformedTokenError) throw refuse(`malformed (${error.message})`);
      throw error;
    }
    const { header } = jws;
    // The algorithm is ours to choose, not the token's: `none`, HS256 keyed
    // with our public key, RS256… all stop here.
    if (header['alg'] !== ACCESS_TOKEN_ALGORITHM) throw refuse('algorithm not allowed');
    if (header['typ'] !== ACCESS_TOKEN_TYPE) throw refuse('not an access token (typ)');
    // We implement no JOSE extension, so a token that insists on one is refused (RFC 7515 §4.1.11).
    if (header['crit'] !== undefined) throw refuse('critical header not understood');
    const kid = header['kid'];
    if (!isValidKeyId(kid)) throw refuse('missing or invalid kid');
    // jku, x5u, jwk and x5c are deliberately never read: the key comes from our resolver only.
    const key = await this.keys.resolve(kid);
    if (!key) throw refuse('unknown kid');
    if (!isP256PublicKey(key)) throw refuse('resolver gave a key that is not P-256');

    if (
      jws.signature.length !== ES256_SIGNATURE_BYTES ||
      !verifySignature(
        'sha256',
        Buffer.from(jws.signingInput),
        { key, dsaEncoding: 'ieee-p1363' },
        jws.signature,
      )
    ) {
      throw refuse('bad signature');
    }

    let claims: Record<string, unknown>;
    try {
      claims = decodeJsonObject(jws.encodedPayload, 'payload');
    } catch (error) {
      if (error instanceof MalformedTokenError) throw refuse(`malformed (${error.message})`);
      throw error;
    }
    const actor = this.actorFrom(claims);
    this.rememberSignature(token, { kid, key, claims });
    return actor;
  }

  /** Only tokens that passed every check are remembered, so garbage cannot evict good entries. */
  private rememberSignature(token: string, verified: VerifiedSignature): void {
    if (this.verifiedSignatures.size >= VERIFIED_SIGNATURES) {
      // Oldest first: Map keeps insertion order.
      const oldest = this.verifiedSignatures.keys().next().value as string;
      this.verifiedSignatures.delete(oldest);
    }
    this.verifiedSignatures.set(token, verified);
  }

  private actorFrom(claims: Record<string, unknown>): Actor {
    const nowSeconds = this.clock() / 1000;
    const { iss, aud, sub, tid, sid, jti, role, iat, exp, nbf } = claims;
    if (!isSeconds(exp)) throw refuse('exp missing or not a number');
    if (!isSeconds(iat)) throw refuse('iat missing or not a number');
    if (nbf !== undefined && !isSeconds(nbf)) throw refuse('nbf not a number');
    if (exp + CLOCK_SKEW_SECONDS <= nowSeconds) throw refuse('expired');
    if (iat - CLOCK_SKEW_SECONDS > nowSeconds) throw refuse('issued in the future');
    if (isSeconds(nbf) && nbf - CLOCK_SKEW_SECONDS > nowSeconds) throw refuse('not yet valid');
    // The revocation deny-list forgets a session after the longest lifetime;
    // a token living longer would outlive its revocation.
    if (exp - iat > MAX_ACCESS_TOKEN_TTL_SECONDS) throw refuse('lifetime too long');
    if (iss !== this.issuer) throw refuse('wrong issuer');
    if (aud !== this.audience) throw refuse('wrong audience');
    if (!isUuid(sub)) throw refuse('sub is not a uuid');
    if (!isUuid(tid)) throw refuse('tid is not a uuid');
    if (!isUuid(sid)) throw refuse('sid is not a uuid');
    if (!isUuid(jti)) throw refuse('jti is not a uuid');
    if (!isRole(role)) throw refuse('unknown role');
    if (this.revocations.isRevoked(sid)) throw refuse('session revoked');
    return {
      userId: sub,
      organizationId: tid,
      role,
      sessionId: sid,
      tokenId: jti,
      expiresAt: new Date(exp * 1000),
    };
  }
}

function refuse(reason: string): InvalidAccessTokenError {
  return new InvalidAccessTokenError(reason);
}

function isSeconds(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}

function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}

/** Whatever a resolver returns, only a P-256 public key may check an ES256 signature. */
function isP256PublicKey(key: KeyObject): boolean {
  return (
    key.type === 'public' &&
    key.asymmetricKeyType === 'ec' &&
    key.asymmetricKeyDetails?.namedCurve === 'prime256v1'
  );
}
