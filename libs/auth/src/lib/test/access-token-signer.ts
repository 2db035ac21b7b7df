import {
  type KeyObject,
  createHmac,
  generateKeyPairSync,
  randomUUID,
  sign as signBytes,
} from 'node:crypto';
import type { AccessTokenClaims } from '../access-token/access-token-claims';
import { encodeJsonSegment } from '../jws/compact-jws';
import type { SigningKeyResolver } from '../keys/signing-key-resolver';

/** A P-256 key pair standing in for user-service's current signing key. */
export interface TestSigningKey {
  kid: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
}

export function generateSigningKey(kid = `key-${randomUUID()}`): TestSigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  return { kid, privateKey, publicKey };
}

/** The key as user-service publishes it in its JWKS. */
export function publicJwkOf(key: TestSigningKey): Record<string, unknown> {
  return { ...key.publicKey.export({ format: 'jwk' }), kid: key.kid, alg: 'ES256', use: 'sig' };
}

export function validClaims(
  overrides: Partial<Record<keyof AccessTokenClaims | 'nbf', unknown>> = {},
) {
  const iat = Math.floor(Date.now() / 1000);
  return {
    iss: 'helpdesk-user-service',
    aud: 'helpdesk-api',
    sub: randomUUID(),
    tid: randomUUID(),
    role: 'agent',
    sid: randomUUID(),
    jti: randomUUID(),
    iat,
    exp: iat + 900,
    ...overrides,
  } as Record<string, unknown>;
}

/** Signs like user-service does: ES256, `at+jwt`, JOSE (r‖s) signature. */
export function signAccessToken(
  key: TestSigningKey,
  claims: Record<string, unknown> = validClaims(),
  header: Record<string, unknown> = {},
): string {
  const signingInput = `${encodeJsonSegment({ alg: 'ES256', typ: 'at+jwt', kid: key.kid, ...header })}.${encodeJsonSegment(claims)}`;
  const signature = signBytes('sha256', Buffer.from(signingInput), {
    key: key.privateKey,
    dsaEncoding: 'ieee-p1363',
  });
  return `${signingInput}.${signature.toString('base64url')}`;
}

/** A token whose signature is an HMAC keyed with `secret`, as an attacker holding only public material would make. */
export function signWithHmac(
  header: Record<string, unknown>,
  claims: Record<string, unknown>,
  secret: string | Buffer,
): string {
  const signingInput = `${encodeJsonSegment(header)}.${encodeJsonSegment(claims)}`;
  const signature = createHmac('sha256', secret).update(signingInput).digest('base64url');
  return `${signingInput}.${signature}`;
}

/** A resolver over fixed keys that counts how often it was asked. */
export class FixedKeys implements SigningKeyResolver {
  readonly requested: string[] = [];
  private readonly keys: Map<string, KeyObject>;

  constructor(...keys: TestSigningKey[]) {
    this.keys = new Map(keys.map((key) => [key.kid, key.publicKey]));
  }

  async resolve(kid: string): Promise<KeyObject | undefined> {
    this.requested.push(kid);
    return this.keys.get(kid);
  }
}
