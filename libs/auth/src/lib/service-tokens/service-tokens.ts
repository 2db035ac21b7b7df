import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { CLOCK_SKEW_SECONDS } from '../access-token/access-token-claims';
import { type Clock, systemClock } from '../access-token/clock';
import {
  MalformedTokenError,
  decodeJsonObject,
  encodeJsonSegment,
  splitCompactJws,
} from '../jws/compact-jws';
import { MIN_SERVICE_TOKEN_SECRET_BYTES } from './service-token-secret';

export const SERVICE_TOKEN_ALGORITHM = 'HS256';
/** Distinct from `at+jwt`: neither kind of token can be replayed as the other. */
export const SERVICE_TOKEN_TYPE = 'service+jwt';
/** Issued per call, so it need not live longer than a call. */
export const SERVICE_TOKEN_TTL_SECONDS = 60;

const SERVICE_NAME = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

export interface ServiceTokensOptions {
  /** This service: the issuer of the tokens it sends, the audience of those it accepts. */
  serviceName: string;
  /** Shared by all services (SERVICE_TOKEN_SECRET). */
  secret: Buffer;
  clock?: Clock;
}

/** A service token was refused; `reason` is safe to log. */
export class InvalidServiceTokenError extends Error {
  constructor(readonly reason: string) {
    super(`Invalid service token: ${reason}`);
    this.name = 'InvalidServiceTokenError';
  }
}

/**
 * Short-lived HS256 tokens one service sends another on `/internal/...`
 * calls. A user's access token is never accepted there, and these are never
 * accepted on user routes: different typ, algorithm, key and verifier.
 */
@Injectable()
export class ServiceTokens {
  private readonly serviceName: string;
  private readonly secret: Buffer;
  private readonly clock: Clock;

  constructor(options: ServiceTokensOptions) {
    if (!SERVICE_NAME.test(options.serviceName)) {
      throw new Error(`Invalid service name "${options.serviceName}".`);
    }
    if (options.secret.length < MIN_SERVICE_TOKEN_SECRET_BYTES) {
      throw new Error(
        `The service token secret must be at least ${MIN_SERVICE_TOKEN_SECRET_BYTES} bytes.`,
      );
    }
    this.serviceName = options.serviceName;
    this.secret = options.secret;
    this.clock = options.clock ?? systemClock;
  }

  /** A token for one call to `audience` (the called service's name). */
  issue(audience: string): string {
    const iat = Math.floor(this.clock() / 1000);
    const signingInput = [
      encodeJsonSegment({ alg: SERVICE_TOKEN_ALGORITHM, typ: SERVICE_TOKEN_TYPE }),
      encodeJsonSegment({
        iss: this.serviceName,
        sub: this.serviceName,
        aud: audience,
        iat,
        exp: iat + SERVICE_TOKEN_TTL_SECONDS,
        jti: randomUUID(),
      }),
    ].join('.');
    return `${signingInput}.${this.sign(signingInput).toString('base64url')}`;
  }

  /** The calling service's name, if `token` is a valid service token addressed to this service. */
  verify(token: string): string {
    let jws;
    let claims;
    try {
      jws = splitCompactJws(token);
      if (jws.header['alg'] !== SERVICE_TOKEN_ALGORITHM) throw refuse('algorithm not allowed');
      if (jws.header['typ'] !== SERVICE_TOKEN_TYPE) throw refuse('not a service token (typ)');
      if (jws.header['crit'] !== undefined) throw refuse('critical header not understood');
      const expected = this.sign(jws.signingInput);
      if (jws.signature.length !== expected.length || !timingSafeEqual(jws.signature, expected)) {
        throw refuse('bad signature');
      }
      claims = decodeJsonObject(jws.encodedPayload, 'payload');
    } catch (error) {
      if (error instanceof MalformedTokenError) throw refuse(`malformed (${error.message})`);
      throw error;
    }
    const { iss, sub, aud, iat, exp } = claims;
    const nowSeconds = this.clock() / 1000;
    if (typeof exp !== 'number' || typeof iat !== 'number') throw refuse('exp/iat missing');
    if (exp + CLOCK_SKEW_SECONDS <= nowSeconds) throw refuse('expired');
    if (iat - CLOCK_SKEW_SECONDS > nowSeconds) throw refuse('issued in the future');
    if (exp - iat > SERVICE_TOKEN_TTL_SECONDS) throw refuse('lifetime too long');
    if (aud !== this.serviceName) throw refuse('wrong audience');
    if (typeof iss !== 'string' || !SERVICE_NAME.test(iss) || sub !== iss) {
      throw refuse('invalid issuer');
    }
    return iss;
  }

  private sign(signingInput: string): Buffer {
    return createHmac('sha256', this.secret).update(signingInput).digest();
  }
}

function refuse(reason: string): InvalidServiceTokenError {
  return new InvalidServiceTokenError(reason);
}
