import { generateKeyPairSync, randomUUID, type KeyObject } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import jwt from 'jsonwebtoken';
import type { Role } from '@helpdesk/contracts';

/**
 * Plays user-service for another service's tests: a JWKS endpoint on a free
 * port (the service under test fetches it exactly as in production, via
 * AUTH_JWKS_URL) and a signer of access tokens with the claims user-service
 * issues (ES256, typ at+jwt, kid, iss/aud, sub, tid, role, sid).
 */
export class FakeIdentityProvider {
  private readonly kid = `test-${randomUUID().slice(0, 8)}`;
  private readonly privateKey: KeyObject;
  private readonly jwks: object;

  private constructor(
    private readonly server: http.Server,
    keys: { privateKey: KeyObject; publicKey: KeyObject },
  ) {
    this.privateKey = keys.privateKey;
    this.jwks = {
      keys: [
        { ...keys.publicKey.export({ format: 'jwk' }), kid: this.kid, alg: 'ES256', use: 'sig' },
      ],
    };
    server.on('request', (_request, response) => {
      response.writeHead(200, { 'Content-Type': 'application/json' });
      response.end(JSON.stringify(this.jwks));
    });
  }

  static async start(): Promise<FakeIdentityProvider> {
    const server = http.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return new FakeIdentityProvider(
      server,
      generateKeyPairSync('ec', { namedCurve: 'prime256v1' }),
    );
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/.well-known/jwks.json`;
  }

  token(
    user: { id: string; organizationId: string; role: Role },
    sessionId = randomUUID(),
  ): string {
    return jwt.sign(
      { tid: user.organizationId, role: user.role, sid: sessionId },
      this.privateKey,
      {
        algorithm: 'ES256',
        header: { alg: 'ES256', typ: 'at+jwt', kid: this.kid },
        issuer: 'helpdesk-user-service',
        audience: 'helpdesk-api',
        subject: user.id,
        jwtid: randomUUID(),
        expiresIn: 900,
      },
    );
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.closeAllConnections();
      this.server.close(() => resolve());
    });
  }
}
