import { setTimeout as nextTick } from 'node:timers/promises';
import { Controller, Get, Module, Post } from '@nestjs/common';
import { DatabaseModule } from '@helpdesk/database';
import { currentEventContext } from '@helpdesk/messaging';
import { HealthModule } from '@helpdesk/observability';
import { bootTestApp, type TestApp } from '@helpdesk/testing';
import type { Actor } from '../access-token/actor';
import { recordSessionRevocation } from '../revocation/record-session-revocation';
import { RevokedSessions } from '../revocation/revoked-sessions';
import { ServiceTokens } from '../service-tokens/service-tokens';
import {
  FixedKeys,
  generateSigningKey,
  signAccessToken,
  validClaims,
} from '../test/access-token-signer';
import {
  TEST_SERVICE,
  createRevocationDatabase,
  type RevocationDatabase,
} from '../test/revocation-database';
import { AuthModule } from './auth.module';
import { CurrentActor, CurrentService } from './current-principal.decorators';
import { currentActor } from './principal';
import { InternalOnly, Public, Roles } from './route-access.decorators';

const signingKey = generateSigningKey();
const SECRET = 'a-service-token-secret-of-at-least-32-bytes';

@Controller('things')
class ThingsController {
  @Get('mine')
  async mine(@CurrentActor() actor: Actor) {
    await nextTick(1); // what code deep inside sees, after an await
    return { actor, fromStorage: currentActor(), eventContext: currentEventContext() };
  }

  @Public()
  @Get('catalogue')
  catalogue() {
    return { open: true, actor: currentActor() ?? null };
  }

  @Roles('manager')
  @Get('reports')
  reports(@CurrentActor() actor: Actor) {
    return { role: actor.role };
  }
}

@Controller('internal/things')
class InternalThingsController {
  @InternalOnly()
  @Post('sync')
  sync(@CurrentService() caller: string) {
    return { caller, eventContext: currentEventContext(), actor: currentActor() ?? null };
  }
}

@Module({
  imports: [
    DatabaseModule.forService({ serviceName: TEST_SERVICE, entities: [], migrations: [] }),
    AuthModule.forService({
      serviceName: TEST_SERVICE,
      keyResolver: { useValue: new FixedKeys(signingKey) },
      revocation: { pollIntervalMs: 60_000 },
    }),
    HealthModule.forRoot({ indicators: [] }),
  ],
  controllers: [ThingsController, InternalThingsController],
})
class ThingsServiceModule {}

let db: RevocationDatabase;
let testApp: TestApp;

beforeAll(async () => {
  db = await createRevocationDatabase();
  testApp = await bootTestApp(ThingsServiceModule, {
    serviceName: TEST_SERVICE,
    env: { ...db.env, SERVICE_TOKEN_SECRET: SECRET },
  });
});

afterAll(async () => {
  await testApp?.close();
  await db?.close();
});

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const tokenFor = (role: string, claims = validClaims({ role })) =>
  signAccessToken(signingKey, claims);
const serviceTokensOf = (serviceName: string, secret = SECRET) =>
  new ServiceTokens({ serviceName, secret: Buffer.from(secret) });

describe('AuthGuard: every /api/v1 route needs a token unless @Public()', () => {
  it('answers 401 problem+json without a token', async () => {
    const response = await testApp.http.get('/api/v1/things/mine').expect(401);

    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.headers['www-authenticate']).toBe('Bearer');
    expect(response.body).toMatchObject({ status: 401, instance: '/api/v1/things/mine' });
  });

  it('answers 401 with error="invalid_token" for a bad token', async () => {
    const claims = validClaims();
    const forged = `${tokenFor('agent').split('.').slice(0, 2).join('.')}.${'A'.repeat(86)}`;

    for (const token of [forged, 'garbage', signAccessToken(generateSigningKey(), claims)]) {
      const response = await testApp.http.get('/api/v1/things/mine').set(bearer(token)).expect(401);
      expect(response.headers['www-authenticate']).toBe('Bearer error="invalid_token"');
      expect(response.body).toMatchObject({ status: 401 });
    }
    await testApp.http
      .get('/api/v1/things/mine')
      .set({ authorization: 'Basic dXNlcjpwYXNz' })
      .expect(401);
  });

  it('serves @Public() routes without a token', async () => {
    const response = await testApp.http.get('/api/v1/things/catalogue').expect(200);
    expect(response.body).toEqual({ open: true, actor: null });
  });

  it('leaves /health, /metrics and the API description to their libraries: no token needed', async () => {
    await testApp.http.get('/health').expect(200);
    await testApp.http.get('/metrics').expect(200);
    await testApp.http.get('/openapi.json').expect(200);
  });

  it('is not fooled by another spelling of a protected URL', async () => {
    for (const url of [
      '//api/v1/things/mine',
      '/api/v1//things/mine',
      '/api/v1/things/mine?x=/health',
    ]) {
      const response = await testApp.http.get(url);
      expect(response.status).not.toBe(200);
    }
  });

  it('gives the handler the verified actor, in its parameter, in currentActor() and in event metadata', async () => {
    const claims = validClaims({ role: 'agent' });

    const response = await testApp.http
      .get('/api/v1/things/mine')
      .set(bearer(tokenFor('agent', claims)))
      .expect(200);

    const expected = {
      userId: claims['sub'],
      organizationId: claims['tid'],
      role: 'agent',
      sessionId: claims['sid'],
      tokenId: claims['jti'],
      expiresAt: new Date((claims['exp'] as number) * 1000).toISOString(),
    };
    expect(response.body).toEqual({
      actor: expected,
      fromStorage: expected,
      eventContext: { actorId: claims['sub'], actorType: 'user', causationId: null },
    });
  });

  it('answers 403 below the route’s minimum role, and serves that role and above', async () => {
    const refused = await testApp.http
      .get('/api/v1/things/reports')
      .set(bearer(tokenFor('agent')))
      .expect(403);
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(refused.body).toMatchObject({ status: 403 });

    await testApp.http
      .get('/api/v1/things/reports')
      .set(bearer(tokenFor('manager')))
      .expect(200);
    await testApp.http
      .get('/api/v1/things/reports')
      .set(bearer(tokenFor('admin')))
      .expect(200);
  });

  it('refuses a service token on a user route', async () => {
    const token = serviceTokensOf('admin-service').issue(TEST_SERVICE);
    await testApp.http.get('/api/v1/things/mine').set(bearer(token)).expect(401);
  });

  it('refuses the tokens of a revoked session', async () => {
    const claims = validClaims();
    const token = tokenFor('agent', claims);
    await testApp.http.get('/api/v1/things/mine').set(bearer(token)).expect(200);

    await recordSessionRevocation(db.dataSource.manager, {
      sessionId: claims['sid'] as string,
      tenantId: claims['tid'] as string,
      expiresAt: new Date(Date.now() + 900_000),
    });
    await testApp.app.get(RevokedSessions).refreshNow();

    await testApp.http.get('/api/v1/things/mine').set(bearer(token)).expect(401);
  });
});

describe('AuthGuard on @InternalOnly() routes', () => {
  const sync = '/api/v1/internal/things/sync';

  it('accepts a service token addressed to this service and names the caller', async () => {
    const token = serviceTokensOf('admin-service').issue(TEST_SERVICE);

    const response = await testApp.http.post(sync).set(bearer(token)).expect(201);

    expect(response.body).toEqual({
      caller: 'admin-service',
      eventContext: { actorId: 'admin-service', actorType: 'service', causationId: null },
      actor: null,
    });
  });

  it('refuses a user’s access token, even an admin’s', async () => {
    await testApp.http
      .post(sync)
      .set(bearer(tokenFor('admin')))
      .expect(401);
  });

  it('refuses a service token for another service', async () => {
    const token = serviceTokensOf('admin-service').issue('audit-service');
    await testApp.http.post(sync).set(bearer(token)).expect(401);
  });

  it('refuses a service token signed with another secret', async () => {
    const token = serviceTokensOf('admin-service', 'x'.repeat(32)).issue(TEST_SERVICE);
    await testApp.http.post(sync).set(bearer(token)).expect(401);
  });

  it('refuses a call without a token', async () => {
    await testApp.http.post(sync).expect(401);
  });
});

describe('AuthModule at boot', () => {
  it('refuses to start in production without SERVICE_TOKEN_SECRET', async () => {
    await expect(
      bootTestApp(ThingsServiceModule, {
        serviceName: TEST_SERVICE,
        env: { ...db.env, NODE_ENV: 'production', SERVICE_TOKEN_SECRET: undefined },
        logging: { level: 'silent' },
      }),
    ).rejects.toThrow(/SERVICE_TOKEN_SECRET must be set in production/);
  });
});
