import {
  expectGatewayProblem,
  expectSecurityHeaders,
  freePort,
  send,
  startTestGateway,
  startUpstream,
  type TestGateway,
  type TestUpstream,
} from './support';

/**
 * Errors the gateway produces itself: rate limits, body size, an app that is
 * down or too slow. Limits are set low so the tests can reach them.
 */
describe('gateway errors (real nginx)', () => {
  let app: TestUpstream | undefined;
  let gateway: TestGateway | undefined;

  const port = () => {
    if (!gateway) throw new Error('the gateway did not start');
    return gateway.port;
  };

  beforeAll(async () => {
    app = await startUpstream('echo-service');
    const portNobodyListensOn = await freePort();
    gateway = await startTestGateway({
      services: [
        {
          name: 'echo-service',
          port: app.port,
          database: 'helpdesk_echo',
          routes: [
            { path: '/api/v1/echo' },
            // The registry's shape: a prefix in the general zone, credential endpoints exact and strict.
            { path: '/api/v1/auth' },
            { path: '/api/v1/auth/login', exact: true, limit: 'auth' },
          ],
        },
        {
          name: 'down-service',
          port: portNobodyListensOn,
          database: 'helpdesk_down',
          routes: [{ path: '/api/v1/down' }],
        },
      ],
      apiRate: '1000r/s',
      apiBurst: 1000,
      authRate: '1r/m',
      authBurst: 2,
      clientMaxBodySize: '64k',
      proxyReadTimeout: '1s',
      proxySendTimeout: '1s',
      proxyConnectTimeout: '1s',
    });
  });

  afterAll(async () => {
    await gateway?.stop();
    await app?.close();
  });

  it('answers 429 problem+json with Retry-After once a client exceeds the auth rate, while other routes still answer', async () => {
    // 1 request per minute with a burst of 2: three pass, the fourth is refused.
    for (let attempt = 1; attempt <= 3; attempt += 1) {
      expect((await send(port(), '/api/v1/auth/login', { method: 'POST' })).status).toBe(200);
    }

    const refused = await send(port(), '/api/v1/auth/login', {
      method: 'POST',
      headers: { 'X-Request-ID': 'too-many' },
    });

    expectGatewayProblem(refused, 429, 'Too Many Requests');
    expect(refused.headers['retry-after']).toBe('60');
    expect(refused.headers['x-request-id']).toBe('too-many');
    expectSecurityHeaders(refused);

    const elsewhere = await send(port(), '/api/v1/echo');
    expect(elsewhere.status).toBe(200);
    expect(elsewhere.headers['retry-after']).toBeUndefined();
    // The rest of /api/v1/auth (what a web app calls on every page: /me, /sessions) is not throttled.
    for (const other of ['/api/v1/auth/me', '/api/v1/auth/sessions', '/api/v1/auth/me']) {
      expect({ other, status: (await send(port(), other)).status }).toEqual({ other, status: 200 });
    }
  });

  it('answers 413 problem+json to a body above client_max_body_size', async () => {
    const response = await send(port(), '/api/v1/echo', {
      method: 'POST',
      headers: { 'Content-Type': 'application/octet-stream', 'X-Request-ID': 'big-body' },
      body: Buffer.alloc(100 * 1024, 1),
    });

    expectGatewayProblem(response, 413, 'Payload Too Large');
    expect(response.headers['x-request-id']).toBe('big-body');
    expectSecurityHeaders(response);
  });

  it('passes a body below the limit, even one nginx buffers on disk', async () => {
    const body = Buffer.alloc(60 * 1024, 1);

    const response = await send(port(), '/api/v1/echo', { method: 'POST', body });

    expect(response.status).toBe(200);
    expect((response.json() as { bodyLength: number }).bodyLength).toBe(body.length);
  });

  it('answers 504 problem+json when the app does not answer within the read timeout', async () => {
    const response = await send(port(), '/api/v1/echo/slow', {
      headers: { 'x-test-hang': '1', 'X-Request-ID': 'slow-one' },
    });

    expectGatewayProblem(response, 504, 'Gateway Timeout');
    expect(response.headers['x-request-id']).toBe('slow-one');
    expectSecurityHeaders(response);
  });

  it('answers 502 problem+json when the app is down', async () => {
    const response = await send(port(), '/api/v1/down/anything', {
      headers: { 'X-Request-ID': 'down-one' },
    });

    expectGatewayProblem(response, 502, 'Bad Gateway');
    expect(response.headers['x-request-id']).toBe('down-one');
    expectSecurityHeaders(response);
  });
});
