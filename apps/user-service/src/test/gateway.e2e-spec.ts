import { freePort } from '@helpdesk/testing';
import { startGateway, stopGateway } from '../../../../gateway/gateway';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { PASSWORD, startUserService, type UserServiceFixture } from './user-service-fixture';

/** The contract as a client meets it: through the real NGINX gateway, routed by gateway/services.json. */
describe('user-service through the gateway', () => {
  let service: UserServiceFixture;
  let runDir: string;
  let gateway: ReturnType<typeof request>;

  beforeAll(async () => {
    service = await startUserService();
    const appPort = await freePort();
    await service.app.listen(appPort, '127.0.0.1');
    runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'user-gateway-'));
    const gatewayPort = await freePort();
    await startGateway({
      runDir,
      listenPort: gatewayPort,
      listenAddress: '127.0.0.1',
      portOverrides: { 'user-service': appPort },
    });
    gateway = request(`http://127.0.0.1:${gatewayPort}`);
  });

  afterAll(async () => {
    if (runDir) {
      await stopGateway(runDir);
      fs.rmSync(runDir, { recursive: true, force: true });
    }
    await service?.close();
  });

  it('signs up, signs in and answers /auth/me, echoing the request id', async () => {
    const slug = `gw-${Date.now()}`;
    const signup = await gateway
      .post('/api/v1/auth/signup')
      .set('X-Request-ID', 'gateway-signup-1')
      .send({
        organizationName: 'Gateway Inc',
        organizationSlug: slug,
        name: 'Gia',
        email: 'gia@gw.test',
        password: PASSWORD,
      })
      .expect(201);
    expect(signup.headers['x-request-id']).toBe('gateway-signup-1');
    expect(signup.headers['x-content-type-options']).toBe('nosniff');

    const login = await gateway
      .post('/api/v1/auth/login')
      .send({ organizationSlug: slug, email: 'gia@gw.test', password: PASSWORD })
      .expect(200);
    const me = await gateway
      .get('/api/v1/auth/me')
      .set('Authorization', `Bearer ${login.body.accessToken}`)
      .expect(200);
    expect(me.body).toMatchObject({
      email: 'gia@gw.test',
      role: 'admin',
      organizationId: signup.body.organization.id,
    });

    const wrong = await gateway
      .post('/api/v1/auth/login')
      .send({ organizationSlug: slug, email: 'gia@gw.test', password: 'wrong wrong wrong' })
      .expect(401);
    expect(wrong.headers['content-type']).toMatch(/^application\/problem\+json/);

    // The client's address reaches the app through the gateway's X-Forwarded-For.
    const sessions = await gateway
      .get('/api/v1/auth/sessions')
      .set('Authorization', `Bearer ${login.body.accessToken}`)
      .expect(200);
    expect(sessions.body.data.find((session: { current: boolean }) => session.current).ip).toBe(
      '127.0.0.1',
    );

    for (const route of [
      '/api/v1/users',
      '/api/v1/admin/users',
      '/api/v1/admin/agents',
      '/api/v1/organization',
      '/api/v1/departments',
    ])
      await gateway.get(route).set('Authorization', `Bearer ${login.body.accessToken}`).expect(200);
  });

  it('routes the JWKS at the root and never routes /internal', async () => {
    const jwks = await gateway.get('/.well-known/jwks.json').expect(200);
    expect(jwks.body.keys[0]).toMatchObject({ kty: 'EC', alg: 'ES256' });
    await gateway.post('/internal/auth/validate').send({ token: 'x' }).expect(404);
  });
});
