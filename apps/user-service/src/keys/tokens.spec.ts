import { createHmac, createPublicKey, generateKeyPairSync, randomUUID, sign } from 'node:crypto';
import { ServiceTokens } from '@helpdesk/auth';
import { SigningKeys } from './signing-keys';
import {
  startUserService,
  type SignedUp,
  type UserServiceFixture,
} from '../test/user-service-fixture';

const base64url = (value: object | Buffer) =>
  (Buffer.isBuffer(value) ? value : Buffer.from(JSON.stringify(value))).toString('base64url');

function decode(token: string): {
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
} {
  const [header, payload] = token.split('.');
  return {
    header: JSON.parse(Buffer.from(header ?? '', 'base64url').toString()),
    payload: JSON.parse(Buffer.from(payload ?? '', 'base64url').toString()),
  };
}

/** A JWS signed with ES256 by `privateKey` (IEEE P1363 signature, as JOSE wants). */
function es256(header: object, payload: object, privateKey: Parameters<typeof sign>[2]): string {
  const input = `${base64url(header)}.${base64url(payload)}`;
  const signature = sign('sha256', Buffer.from(input), {
    key: privateKey as never,
    dsaEncoding: 'ieee-p1363',
  });
  return `${input}.${signature.toString('base64url')}`;
}

describe('user-service tokens: what is refused, the JWKS and key rotation, /internal/auth/validate', () => {
  let service: UserServiceFixture;
  let admin: SignedUp;
  const me = (token: string) =>
    service.http.get('/api/v1/auth/me').set('Authorization', `Bearer ${token}`);

  beforeAll(async () => {
    service = await startUserService({ AUTH_REVOCATION_POLL_MS: '200' });
    admin = await service.signUp();
  });
  afterAll(() => service?.close());

  it('issues ES256 access tokens with kid, typ, iss, aud, sub, tid, role and sid', async () => {
    const { header, payload } = decode(admin.accessToken);
    expect(header).toMatchObject({ alg: 'ES256', typ: 'at+jwt', kid: expect.any(String) });
    expect(payload).toMatchObject({
      iss: 'helpdesk-user-service',
      aud: 'helpdesk-api',
      sub: admin.user.id,
      tid: admin.organization.id,
      role: 'admin',
      sid: expect.any(String),
      jti: expect.any(String),
    });
    expect((payload['exp'] as number) - (payload['iat'] as number)).toBe(900);
    await me(admin.accessToken).expect(200);
  });

  it('publishes the signing key at /.well-known/jwks.json, outside /api/v1', async () => {
    const response = await service.http.get('/.well-known/jwks.json').expect(200);
    const kid = decode(admin.accessToken).header['kid'];
    expect(response.body.keys).toContainEqual({
      kty: 'EC',
      crv: 'P-256',
      x: expect.any(String),
      y: expect.any(String),
      kid,
      alg: 'ES256',
      use: 'sig',
    });
    for (const key of response.body.keys) expect(key).not.toHaveProperty('d');
  });

  describe('the attack suite: each forged token is 401', () => {
    const claims = () => ({ ...decode(admin.accessToken).payload });
    const header = () => ({ ...decode(admin.accessToken).header });

    it('alg: none', async () => {
      const token = `${base64url({ alg: 'none', typ: 'at+jwt', kid: header()['kid'] })}.${base64url({ ...claims(), role: 'admin' })}.`;
      await me(token).expect(401);
    });

    it('HS256 signed with the public key as the secret (algorithm confusion)', async () => {
      const jwks = await service.http.get('/.well-known/jwks.json').expect(200);
      const publicPem = createPublicKey({ key: jwks.body.keys[0], format: 'jwk' }).export({
        type: 'spki',
        format: 'pem',
      });
      const input = `${base64url({ ...header(), alg: 'HS256' })}.${base64url(claims())}`;
      const signature = createHmac('sha256', publicPem).update(input).digest('base64url');
      await me(`${input}.${signature}`).expect(401);
    });

    it('signed by a key that is not ours, under our kid', async () => {
      const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
      await me(es256(header(), claims(), privateKey)).expect(401);
    });

    it('an unknown kid', async () => {
      const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
      await me(es256({ ...header(), kid: 'no-such-key' }, claims(), privateKey)).expect(401);
    });

    it('a tampered payload (the signature no longer matches)', async () => {
      const [h, , s] = admin.accessToken.split('.');
      await me(`${h}.${base64url({ ...claims(), tid: randomUUID() })}.${s}`).expect(401);
    });

    it('expired, wrong issuer, wrong audience: refused even when correctly signed', async () => {
      // Signed with our real key, read from the database as only user-service could.
      const keys = service.app.get(SigningKeys);
      const key = keys.current().privateKey();
      const now = Math.floor(Date.now() / 1000);
      await me(es256(header(), { ...claims(), iat: now - 2000, exp: now - 1100 }, key)).expect(401);
      await me(es256(header(), { ...claims(), iss: 'someone-else' }, key)).expect(401);
      await me(es256(header(), { ...claims(), aud: 'another-api' }, key)).expect(401);
      // The control: the same forging path with right claims is accepted, so the refusals above are about the claims.
      await me(es256(header(), claims(), key)).expect(200);
    });

    it('a token that is not a JWT at all, and a missing Bearer scheme', async () => {
      await me('not.a.jwt').expect(401);
      await service.http.get('/api/v1/auth/me').set('Authorization', admin.accessToken).expect(401);
    });
  });

  it('rotates keys: new tokens use the new kid, old tokens stay valid, the JWKS lists both', async () => {
    const before = decode(admin.accessToken).header['kid'];
    const rotated = await service.app.get(SigningKeys).rotate();
    expect(rotated.kid).not.toBe(before);

    const login = await service.http
      .post('/api/v1/auth/login')
      .send({
        organizationSlug: admin.slug,
        email: admin.email,
        password: 'correct horse battery staple',
      })
      .expect(200);
    expect(decode(login.body.accessToken).header['kid']).toBe(rotated.kid);
    await me(admin.accessToken).expect(200);
    await me(login.body.accessToken).expect(200);
    const jwks = await service.http.get('/.well-known/jwks.json').expect(200);
    expect(jwks.body.keys.map((key: { kid: string }) => key.kid)).toEqual(
      expect.arrayContaining([before, rotated.kid]),
    );
  });

  describe('POST /internal/auth/validate', () => {
    it('answers for a service, never for a user token', async () => {
      const tokens = service.app.get(ServiceTokens);
      const caller = tokens.issue('user-service');
      const active = await service.http
        .post('/internal/auth/validate')
        .set('Authorization', `Bearer ${caller}`)
        .send({ token: admin.accessToken })
        .expect(200);
      expect(active.body).toMatchObject({
        active: true,
        user: { id: admin.user.id, role: 'admin' },
      });

      await service.http
        .post('/internal/auth/validate')
        .set('Authorization', `Bearer ${admin.accessToken}`)
        .send({ token: admin.accessToken })
        .expect(401);
      await service.http
        .post('/internal/auth/validate')
        .send({ token: admin.accessToken })
        .expect(401);
      const garbage = await service.http
        .post('/internal/auth/validate')
        .set('Authorization', `Bearer ${caller}`)
        .send({ token: 'garbage' })
        .expect(200);
      expect(garbage.body).toEqual({ active: false });
    });

    it('says inactive at once for a revoked session', async () => {
      const user = await service.signUp();
      await service.http
        .post('/api/v1/auth/logout')
        .set('Authorization', `Bearer ${user.accessToken}`)
        .expect(204);
      const caller = service.app.get(ServiceTokens).issue('user-service');
      const response = await service.http
        .post('/internal/auth/validate')
        .set('Authorization', `Bearer ${caller}`)
        .send({ token: user.accessToken })
        .expect(200);
      expect(response.body).toEqual({ active: false });
    });
  });

  it('serves its OpenAPI document with the identity paths', async () => {
    const response = await service.http.get('/openapi.json').expect(200);
    expect(Object.keys(response.body.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/auth/signup',
        '/api/v1/auth/login',
        '/api/v1/auth/refresh',
        '/api/v1/auth/sessions/{id}',
        '/.well-known/jwks.json',
      ]),
    );
  });

  it('reports itself healthy', async () => {
    const response = await service.http.get('/health').expect(200);
    expect(response.body.checks).toHaveProperty('database');
  });
});
