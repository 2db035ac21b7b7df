import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  randomUUID,
  type KeyObject,
} from 'node:crypto';
import { ACCESS_TOKEN_ALGORITHM } from '@helpdesk/auth';

/** The public half as published in the JWKS. */
export interface PublicJwk {
  kty: 'EC';
  crv: 'P-256';
  x: string;
  y: string;
  kid: string;
  alg: typeof ACCESS_TOKEN_ALGORITHM;
  use: 'sig';
}

/**
 * An access-token signing key. The newest unretired key signs; a retired key
 * stays in the JWKS until the last token it signed has expired.
 */
export class SigningKey {
  kid!: string;
  algorithm!: string;
  privateKeyPem!: string;
  publicJwk!: PublicJwk;
  createdAt!: Date;
  /** When it stopped signing. */
  retiredAt!: Date | null;
  /** When it leaves the JWKS (retiredAt + the longest token lifetime). */
  expiresAt!: Date | null;

  static generate(now = new Date()): SigningKey {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const kid = `${now.toISOString().slice(0, 10)}.${randomUUID().slice(0, 8)}`;
    const jwk = publicKey.export({ format: 'jwk' }) as { x: string; y: string };
    return Object.assign(new SigningKey(), {
      kid,
      algorithm: ACCESS_TOKEN_ALGORITHM,
      privateKeyPem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
      publicJwk: {
        kty: 'EC',
        crv: 'P-256',
        x: jwk.x,
        y: jwk.y,
        kid,
        alg: ACCESS_TOKEN_ALGORITHM,
        use: 'sig',
      },
      createdAt: now,
      retiredAt: null,
      expiresAt: null,
    });
  }

  privateKey(): KeyObject {
    return createPrivateKey(this.privateKeyPem);
  }

  publicKey(): KeyObject {
    return createPublicKey({ key: { ...this.publicJwk }, format: 'jwk' });
  }

  retire(tokenLifetimeMs: number, now = new Date()): void {
    this.retiredAt = now;
    this.expiresAt = new Date(now.getTime() + tokenLifetimeMs);
  }

  isPublished(now = new Date()): boolean {
    return this.expiresAt === null || this.expiresAt.getTime() > now.getTime();
  }
}
