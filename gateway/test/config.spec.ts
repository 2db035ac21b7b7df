import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  checkGatewayConfig,
  loadServices,
  renderGatewayConfig,
  resolveGatewayOptions,
  validateServices,
} from '../gateway';

const service = (overrides: Record<string, unknown> = {}) => ({
  name: 'ticket-service',
  port: 3002,
  database: 'helpdesk_ticket',
  routes: [{ path: '/api/v1/tickets' }],
  ...overrides,
});

/** A location block of the rendered config, e.g. `= /api/v1/users`. */
const locationBlock = (config: string, matcher: string) => {
  const start = config.indexOf(`location ${matcher} {`);
  return start === -1 ? undefined : config.slice(start, config.indexOf('}', start) + 1);
};

describe('loadServices', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gateway-registry-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('reads the platform registry with defaults filled in', () => {
    const services = loadServices();

    expect(services.map((s) => [s.name, s.port])).toEqual([
      ['user-service', 3001],
      ['ticket-service', 3002],
      ['audit-service', 3003],
      ['notification-service', 3004],
      ['admin-service', 3005],
    ]);
    const userRoutes = services[0]?.routes ?? [];
    // Only the credential endpoints are in the strict zone; /auth/me, /auth/sessions, ... are not.
    expect(userRoutes).toContainEqual({ path: '/api/v1/auth', exact: false, limit: 'api' });
    expect(userRoutes.filter((route) => route.limit === 'auth')).toEqual(
      [
        '/api/v1/auth/login',
        '/api/v1/auth/signup',
        '/api/v1/auth/register',
        '/api/v1/auth/refresh',
        '/api/v1/auth/forgot-password',
        '/api/v1/auth/reset-password',
        '/api/v1/auth/change-password',
      ].map((path) => ({ path, exact: true, limit: 'auth' })),
    );
    expect(userRoutes).toContainEqual({ path: '/api/v1/users', exact: false, limit: 'api' });
    expect(userRoutes).toContainEqual({
      path: '/.well-known/jwks.json',
      exact: true,
      limit: 'api',
    });
  });

  it('marks only user-service for seeding (npm start runs its `main.js seed`)', () => {
    const seeded = loadServices().filter((s) => s.seed === true);

    expect(seeded.map((s) => s.name)).toEqual(['user-service']);
  });

  it('names the file when it is not valid JSON', () => {
    const file = path.join(dir, 'services.json');
    fs.writeFileSync(file, '{ "services": [ ');

    expect(() => loadServices(file)).toThrow(file);
  });

  it('rejects a registry file with a bad entry', () => {
    const file = path.join(dir, 'services.json');
    fs.writeFileSync(file, JSON.stringify({ services: [service({ port: undefined })] }));

    expect(() => loadServices(file)).toThrow(
      /services\[0\] \("ticket-service"\): "port" is missing/,
    );
  });
});

describe('validateServices', () => {
  it('accepts a good registry', () => {
    expect(validateServices({ services: [service()] })).toEqual([
      {
        name: 'ticket-service',
        port: 3002,
        database: 'helpdesk_ticket',
        routes: [{ path: '/api/v1/tickets', exact: false, limit: 'api' }],
      },
    ]);
  });

  it('accepts "seed" as true or false and leaves it out when absent', () => {
    const [seeded, notSeeded, unsaid] = validateServices({
      services: [
        service({ seed: true }),
        service({ name: 'audit-service', port: 3003, seed: false, routes: [] }),
        service({ name: 'admin-service', port: 3005, routes: [] }),
      ],
    });

    expect(seeded?.seed).toBe(true);
    expect(notSeeded?.seed).toBe(false);
    expect(unsaid).not.toHaveProperty('seed');
  });

  it('keeps fields other tools add to a service', () => {
    const [validated] = validateServices({ services: [service({ healthPath: '/health' })] });

    expect(validated).toMatchObject({ name: 'ticket-service', healthPath: '/health' });
  });

  it.each([
    ['no services array', {}, /"services" array/],
    ['a missing port', { services: [service({ port: undefined })] }, /"port" is missing/],
    ['a port out of range', { services: [service({ port: 70000 })] }, /"port" is invalid/],
    [
      'a missing database',
      { services: [service({ database: undefined })] },
      /"database" is missing/,
    ],
    [
      'a bad name',
      { services: [service({ name: 'Ticket Service' })] },
      /"name" must be a kebab-case/,
    ],
    [
      'a non-boolean seed',
      { services: [service({ seed: 'yes' })] },
      /services\[0\] \("ticket-service"\): "seed" must be true or false/,
    ],
    [
      'workers that are not a whole number of processes',
      { services: [service({ workers: 1.5 })] },
      /services\[0\] \("ticket-service"\): "workers" must be an integer from 1 to 16/,
    ],
    [
      'zero workers',
      { services: [service({ workers: 0 })] },
      /"workers" must be an integer from 1 to 16/,
    ],
    [
      'routes that are not a list',
      { services: [service({ routes: '/api/v1/tickets' })] },
      /"routes" must be an array/,
    ],
    [
      'a typo in a route field',
      { services: [service({ routes: [{ path: '/api/v1/tickets', exatc: true }] })] },
      /unknown field "exatc"/,
    ],
    [
      'a path without a leading slash',
      { services: [service({ routes: [{ path: 'api/v1/tickets' }] })] },
      /"path" must look like/,
    ],
    [
      'a path with a trailing slash',
      { services: [service({ routes: [{ path: '/api/v1/tickets/' }] })] },
      /"path" must look like/,
    ],
    [
      'a path with a dot segment',
      { services: [service({ routes: [{ path: '/api/v1/../tickets' }] })] },
      /"path" must look like/,
    ],
    [
      'a path with a space',
      { services: [service({ routes: [{ path: '/api/v1/my tickets' }] })] },
      /"path" must look like/,
    ],
    [
      'the root path',
      { services: [service({ routes: [{ path: '/' }] })] },
      /"path" must look like/,
    ],
    [
      'an internal path',
      { services: [service({ routes: [{ path: '/internal/tickets' }] })] },
      /never routes/,
    ],
    [
      'an /api/v1/internal path',
      { services: [service({ routes: [{ path: '/api/v1/internal' }] })] },
      /never routes/,
    ],
    [
      "the gateway's /health",
      { services: [service({ routes: [{ path: '/health' }] })] },
      /never routes/,
    ],
    [
      'an unknown limit',
      { services: [service({ routes: [{ path: '/api/v1/tickets', limit: 'strict' }] })] },
      /"limit" must be "auth"/,
    ],
    [
      'a non-boolean exact',
      { services: [service({ routes: [{ path: '/api/v1/tickets', exact: 'yes' }] })] },
      /"exact" must be true or false/,
    ],
    [
      'the same path twice',
      {
        services: [
          service(),
          service({
            name: 'other-service',
            port: 3009,
            routes: [{ path: '/api/v1/tickets', exact: true }],
          }),
        ],
      },
      /the path "\/api\/v1\/tickets" is already routed to ticket-service/,
    ],
    [
      'the same name twice',
      { services: [service(), service({ port: 3009, routes: [] })] },
      /"ticket-service" is used twice/,
    ],
    [
      'the same port twice',
      { services: [service(), service({ name: 'other-service', routes: [] })] },
      /port 3002 is already used by ticket-service/,
    ],
  ])('rejects %s', (_case, registry, message) => {
    expect(() => validateServices(registry, 'services.json')).toThrow(message);
  });
});

describe('renderGatewayConfig', () => {
  const runDir = path.join(os.tmpdir(), 'gateway-render-unit');

  it('renders one keepalive upstream per service on the registry port, or the override', () => {
    const config = renderGatewayConfig({
      runDir,
      services: loadServices(),
      portOverrides: { 'audit-service': 4555 },
    });

    expect(config).toMatch(/upstream user-service \{\s+server 127\.0\.0\.1:3001;\s+keepalive 64;/);
    expect(config).toMatch(/upstream audit-service \{\s+server 127\.0\.0\.1:4555;/);
    expect(config).toContain('proxy_http_version 1.1;');
    expect(config).toContain('proxy_set_header Connection "";');
  });

  it('routes a prefix route at its exact path and below it, an exact route only at its path', () => {
    const config = renderGatewayConfig({ runDir, services: loadServices() });

    expect(locationBlock(config, '= /api/v1/users')).toContain('proxy_pass http://user-service;');
    expect(locationBlock(config, '/api/v1/users/')).toContain('proxy_pass http://user-service;');
    expect(locationBlock(config, '= /.well-known/jwks.json')).toContain(
      'proxy_pass http://user-service;',
    );
    expect(locationBlock(config, '/.well-known/jwks.json/')).toBeUndefined();
  });

  it("puts auth routes in both rate-limit zones and announces the strict zone's Retry-After", () => {
    const config = renderGatewayConfig({ runDir, services: loadServices(), authRate: '12r/m' });

    const login = locationBlock(config, '= /api/v1/auth/login') ?? '';
    expect(login).toContain('proxy_pass http://user-service;');
    expect(login).toContain('limit_req zone=api burst=100 nodelay;');
    expect(login).toContain('limit_req zone=auth burst=20 nodelay;');
    expect(login).toContain('error_page 429 @auth_rate_limited;');
    expect(locationBlock(config, '@auth_rate_limited')).toContain('set $gateway_retry_after 5;');
    expect(locationBlock(config, '/api/v1/users/')).not.toContain('zone=auth');
  });

  it('rate-limits only the credential endpoints strictly, not the rest of /api/v1/auth', () => {
    const config = renderGatewayConfig({ runDir, services: loadServices() });

    for (const endpoint of [
      'login',
      'signup',
      'register',
      'refresh',
      'forgot-password',
      'reset-password',
      'change-password',
    ]) {
      expect(locationBlock(config, `= /api/v1/auth/${endpoint}`)).toContain(
        'limit_req zone=auth burst=20 nodelay;',
      );
      expect(locationBlock(config, `/api/v1/auth/${endpoint}/`)).toBeUndefined();
    }
    // /api/v1/auth/me, /api/v1/auth/sessions, /api/v1/auth/logout, ...: the prefix, general zone only.
    for (const matcher of ['= /api/v1/auth', '/api/v1/auth/']) {
      const block = locationBlock(config, matcher) ?? '';
      expect(block).toContain('proxy_pass http://user-service;');
      expect(block).toContain('limit_req zone=api burst=100 nodelay;');
      expect(block).not.toContain('zone=auth');
    }
  });

  it('uses the production defaults', () => {
    const config = renderGatewayConfig({ runDir, services: loadServices() });

    expect(config).toContain('listen 0.0.0.0:8080 default_server;');
    expect(config).toContain('rate=50r/s;');
    expect(config).toContain('rate=30r/m;');
    expect(config).toContain('client_max_body_size 1m;');
    expect(config).toContain('proxy_connect_timeout 5s;');
    expect(config).toContain('proxy_read_timeout 30s;');
    expect(config).toContain(`access_log "${runDir}/logs/gateway.access.log" gateway_json;`);
    expect(config).toContain('server_tokens off;');
    expect(config).not.toMatch(/\{\{\w+\}\}/);
  });

  it('takes limits from the environment unless an option says otherwise', () => {
    const env = {
      GATEWAY_PORT: '9090',
      GATEWAY_API_RATE: '5000r/s',
      GATEWAY_API_BURST: '9000',
      GATEWAY_PROXY_READ_TIMEOUT: '2s',
    };

    const fromEnv = resolveGatewayOptions({ runDir, services: [] }, env);
    const explicit = resolveGatewayOptions(
      { runDir, services: [], apiRate: '10r/s', listenPort: 7000 },
      env,
    );

    expect(fromEnv).toMatchObject({
      listenPort: 9090,
      apiRate: '5000r/s',
      apiBurst: 9000,
      proxyReadTimeout: '2s',
      authRate: '30r/m',
    });
    expect(explicit).toMatchObject({ listenPort: 7000, apiRate: '10r/s', apiBurst: 9000 });
  });

  it.each([
    [{ apiRate: '50 per second' }, /apiRate must look like/],
    [{ authBurst: -1 }, /authBurst must be an integer >= 0/],
    [{ clientMaxBodySize: '1m; evil' }, /clientMaxBodySize must be an nginx size/],
    [{ proxyReadTimeout: 'soon' }, /proxyReadTimeout must be an nginx time/],
    [{ listenPort: 0 }, /listenPort must be an integer/],
    [{ upstreamHost: 'host; evil' }, /upstreamHost must be a host name/],
    [{ portOverrides: { 'no-such-service': 4000 } }, /no service named "no-such-service"/],
    [{ runDir: '/tmp/gateway"; evil' }, /runDir must not contain/],
  ])('rejects the bad option %j', (options, message) => {
    expect(() => renderGatewayConfig({ runDir, services: loadServices(), ...options })).toThrow(
      message,
    );
  });

  it('rejects a bad registry passed as an option', () => {
    expect(() =>
      renderGatewayConfig({ runDir, services: [service({ port: undefined })] as never }),
    ).toThrow(/"port" is missing/);
  });

  it('accepts a service without public routes', () => {
    const config = renderGatewayConfig({ runDir, services: [service({ routes: [] })] });

    expect(config).toContain('upstream ticket-service {');
    expect(config).not.toContain('proxy_pass http://ticket-service;');
  });
});

describe('nginx -t', () => {
  let runDir: string;
  beforeEach(() => {
    runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gateway-check-'));
  });
  afterEach(() => fs.rmSync(runDir, { recursive: true, force: true }));

  it('accepts the default render of the platform registry', async () => {
    const configFile = await checkGatewayConfig({ runDir });

    expect(fs.readFileSync(configFile, 'utf8')).toBe(renderGatewayConfig({ runDir }));
  });

  it("reports nginx's own reason when it rejects a config", async () => {
    await expect(
      checkGatewayConfig({ runDir, upstreamHost: 'no-such-host.invalid' }),
    ).rejects.toThrow(/host not found in upstream/);
    expect(fs.existsSync(path.join(runDir, 'nginx.conf'))).toBe(false);
  });
});
