import fs from 'node:fs';
import path from 'node:path';
import { loadServices } from '../gateway';
import {
  appProblem,
  eventually,
  expectGatewayProblem,
  expectSecurityHeaders,
  send,
  startTestGateway,
  startUpstream,
  type GatewayResponse,
  type TestGateway,
  type TestUpstream,
} from './support';

/**
 * The real route table (gateway/services.json) in front of one stand-in app
 * per service.
 */
describe('gateway routing (real nginx, real route table)', () => {
  const services = loadServices();
  const upstreams = new Map<string, TestUpstream>();
  let gateway: TestGateway | undefined;

  const port = () => {
    if (!gateway) throw new Error('the gateway did not start');
    return gateway.port;
  };
  const upstream = (name: string) => {
    const found = upstreams.get(name);
    if (!found) throw new Error(`no upstream ${name}`);
    return found;
  };
  const allSeenUrls = () => [...upstreams.values()].flatMap((u) => u.requests.map((r) => r.url));
  const servedBy = (response: GatewayResponse) => (response.json() as { service: string }).service;
  const seenByApp = (response: GatewayResponse) =>
    response.json() as {
      url: string;
      method: string;
      bodyLength: number;
      headers: Record<string, string>;
    };

  beforeAll(async () => {
    for (const service of services) upstreams.set(service.name, await startUpstream(service.name));
    gateway = await startTestGateway({
      services,
      portOverrides: Object.fromEntries([...upstreams].map(([name, u]) => [name, u.port])),
      apiRate: '1000r/s',
      apiBurst: 1000,
      authRate: '1000r/s',
      authBurst: 1000,
    });
  });

  afterAll(async () => {
    await gateway?.stop();
    await Promise.all([...upstreams.values()].map((u) => u.close()));
  });

  it.each([
    ['/api/v1/auth/login', 'user-service'],
    ['/api/v1/auth/forgot-password', 'user-service'],
    ['/api/v1/auth/me', 'user-service'],
    ['/api/v1/auth/sessions/42', 'user-service'],
    ['/api/v1/users', 'user-service'],
    ['/api/v1/users/123', 'user-service'],
    ['/api/v1/admin/users/7/role', 'user-service'],
    ['/api/v1/admin/agents', 'user-service'],
    ['/api/v1/organization', 'user-service'],
    ['/api/v1/departments/5', 'user-service'],
    ['/.well-known/jwks.json', 'user-service'],
    ['/api/v1/tickets/9/comments', 'ticket-service'],
    ['/api/v1/search/tickets?q=printer', 'ticket-service'],
    ['/api/v1/sla-policies', 'ticket-service'],
    ['/api/v1/audit/export/csv', 'audit-service'],
    ['/api/v1/notifications', 'notification-service'],
    ['/api/v1/webhooks/3/deliveries', 'notification-service'],
    ['/api/v1/admin/dashboard', 'admin-service'],
    ['/api/v1/analytics/tickets', 'admin-service'],
  ])('routes %s to %s', async (requestPath, service) => {
    const response = await send(port(), requestPath);

    expect(response.status).toBe(200);
    expect(servedBy(response)).toBe(service);
  });

  it('passes the path and query string to the app unchanged', async () => {
    const requestPath = '/api/v1/tickets/abc/comments?page=2&limit=5&q=a%20b';

    const response = await send(port(), requestPath);

    expect(seenByApp(response).url).toBe(requestPath);
  });

  it('passes method and body through', async () => {
    const body = JSON.stringify({ title: 'Printer on fire', description: 'Smoke everywhere' });

    const response = await send(port(), '/api/v1/tickets', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body,
    });

    expect(seenByApp(response)).toMatchObject({
      method: 'POST',
      url: '/api/v1/tickets',
      bodyLength: Buffer.byteLength(body),
    });
  });

  it('lets the longest prefix win: /api/v1/admin/users is user-service, /api/v1/admin/dashboard admin-service', async () => {
    expect(servedBy(await send(port(), '/api/v1/admin/users'))).toBe('user-service');
    expect(servedBy(await send(port(), '/api/v1/admin/dashboard/stats'))).toBe('admin-service');
    expectGatewayProblem(await send(port(), '/api/v1/admin/settings'), 404, 'Not Found');
  });

  it.each(['/api/v1/usersX', '/api/v1/users-export', '/api/v1/ticketsearch'])(
    'does not route %s, which only starts like a route',
    async (requestPath) => {
      const response = await send(port(), requestPath);

      expectGatewayProblem(response, 404, 'Not Found');
      expect(allSeenUrls()).not.toContain(requestPath);
    },
  );

  it('routes an exact route only at its own path', async () => {
    expect(servedBy(await send(port(), '/.well-known/jwks.json'))).toBe('user-service');
    expectGatewayProblem(await send(port(), '/.well-known/jwks.json/keys'), 404, 'Not Found');
    expectGatewayProblem(await send(port(), '/.well-known/openid-configuration'), 404, 'Not Found');
  });

  it('answers an unknown path with a 404 problem+json carrying the security headers', async () => {
    const response = await send(port(), '/wp-login.php');

    expectGatewayProblem(response, 404, 'Not Found');
    expectSecurityHeaders(response);
  });

  it.each([
    '/internal/keys',
    '/internal',
    '/api/v1/internal',
    '/api/v1/internal/users/1',
    '/api/v1/users/../internal/users/1',
    '/api/v1/users/%2e%2e/internal/users/1',
  ])('never routes the internal path %s', async (requestPath) => {
    const response = await send(port(), requestPath);

    expectGatewayProblem(response, 404, 'Not Found');
    expect(allSeenUrls().filter((url) => url.includes('internal'))).toEqual([]);
  });

  it.each(['/metrics', '/docs', '/openapi.json'])(
    "does not expose the apps' root path %s",
    async (requestPath) => {
      expectGatewayProblem(await send(port(), requestPath), 404, 'Not Found');
    },
  );

  it('answers GET /health itself', async () => {
    const response = await send(port(), '/health');

    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('application/json');
    expect(response.json()).toEqual({ status: 'ok' });
    expectSecurityHeaders(response);
  });

  it('puts the security headers on proxied answers and removes X-Powered-By', async () => {
    const response = await send(port(), '/api/v1/users');

    expect(response.status).toBe(200);
    expectSecurityHeaders(response);
  });

  it.each([404, 409, 422, 500, 503])(
    "passes the app's own %i problem+json through untouched",
    async (status) => {
      const response = await send(port(), '/api/v1/tickets/42', {
        headers: { 'x-test-status': String(status) },
      });

      expect(response.status).toBe(status);
      expect(response.headers['content-type']).toBe('application/problem+json');
      expect(response.json()).toEqual(appProblem('ticket-service', status));
      expect(response.headers['retry-after']).toBe('7');
      expectSecurityHeaders(response);
    },
  );

  it('tells the app who the client is and how it came in', async () => {
    const response = await send(port(), '/api/v1/users/me', {
      headers: { Host: 'helpdesk.test:8080', 'X-Forwarded-For': '203.0.113.9' },
    });

    expect(seenByApp(response).headers).toMatchObject({
      host: 'helpdesk.test',
      'x-forwarded-host': 'helpdesk.test:8080',
      'x-forwarded-for': '203.0.113.9, 127.0.0.1',
      'x-forwarded-proto': 'http',
      'x-real-ip': '127.0.0.1',
    });
    expect(seenByApp(response).headers.connection).toBeUndefined();
  });

  describe('X-Request-ID', () => {
    const generatedId = /^[0-9a-f]{32}$/;

    it('is generated when the client sends none, echoed and forwarded', async () => {
      const response = await send(port(), '/api/v1/tickets');

      const id = response.headers['x-request-id'];
      expect(id).toMatch(generatedId);
      expect(seenByApp(response).headers['x-request-id']).toBe(id);
    });

    it("is the client's own when it is a sane token", async () => {
      const clientId = 'web-7f3a.2024:ab_cd';

      const response = await send(port(), '/api/v1/tickets', {
        headers: { 'X-Request-ID': clientId },
      });

      expect(response.headers['x-request-id']).toBe(clientId);
      expect(seenByApp(response).headers['x-request-id']).toBe(clientId);
    });

    it.each([
      ['with spaces and quotes', 'id "with" spaces'],
      ['with JSON-breaking characters', 'a}{"b'],
      ['longer than 128 characters', 'a'.repeat(129)],
    ])('is replaced when the client sends one %s', async (_case, malformed) => {
      const response = await send(port(), '/api/v1/tickets', {
        headers: { 'X-Request-ID': malformed },
      });

      const id = response.headers['x-request-id'];
      expect(id).toMatch(generatedId);
      expect(seenByApp(response).headers['x-request-id']).toBe(id);
    });

    it('is echoed on answers the gateway makes itself', async () => {
      const response = await send(port(), '/nowhere', { headers: { 'X-Request-ID': 'trace-404' } });

      expect(response.status).toBe(404);
      expect(response.headers['x-request-id']).toBe('trace-404');
    });

    it('is written with status and upstream timing to the JSON access log', async () => {
      const id = `log-check-${Date.now()}`;
      await send(port(), '/api/v1/audit/search', { headers: { 'X-Request-ID': id } });

      const logFile = path.join(gateway?.runDir ?? '', 'logs', 'gateway.access.log');
      const entry = await eventually(() =>
        fs
          .readFileSync(logFile, 'utf8')
          .split('\n')
          .filter(Boolean)
          .map((line) => JSON.parse(line) as Record<string, unknown>)
          .find((line) => line.requestId === id),
      );
      expect(entry).toMatchObject({
        requestId: id,
        method: 'GET',
        path: '/api/v1/audit/search',
        status: 200,
        upstream: `127.0.0.1:${upstream('audit-service').port}`,
        upstreamStatus: '200',
        upstreamResponseTime: expect.stringMatching(/^\d+\.\d{3}$/),
      });
    });
  });

  it('reuses connections to the apps (keepalive)', async () => {
    const app = upstream('notification-service');
    const connectionsBefore = app.connectionCount();
    const requests = 20;

    for (let i = 0; i < requests; i += 1) {
      expect((await send(port(), `/api/v1/notifications?i=${i}`)).status).toBe(200);
    }

    // Without keepalive every request opens its own connection (20); with it,
    // each nginx worker keeps reusing the one it opened.
    expect(app.connectionCount() - connectionsBefore).toBeLessThan(requests / 2);
  });
});
