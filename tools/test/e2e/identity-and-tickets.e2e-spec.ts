import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import request from 'supertest';
import {
  createTestDatabase,
  createTestVhost,
  eventually,
  freePort,
  type TestDatabase,
  type TestVhost,
} from '@helpdesk/testing';
import { buildApp } from '../../build/build-app';
import { startGateway, stopGateway } from '../../../gateway/gateway';

const root = path.resolve(__dirname, '../../..');
const PASSWORD = 'correct horse battery staple';

interface RunningApp {
  name: string;
  port: number;
  process: ChildProcess;
  log: string[];
}

/**
 * The platform as a client meets it: user-service and ticket-service built
 * as production bundles, run as processes on their own databases and a
 * RabbitMQ vhost of their own, behind the real NGINX gateway. Nothing is
 * imported from the apps; everything crosses HTTP or the bus.
 */
describe('end to end: identity and tickets through the gateway and the bus', () => {
  const dist = path.join(root, 'dist', `e2e-${process.pid}`);
  const apps: RunningApp[] = [];
  let userDb: TestDatabase;
  let ticketDb: TestDatabase;
  let vhost: TestVhost;
  let gatewayDir: string;
  let gateway: ReturnType<typeof request>;

  async function run(name: string, env: Record<string, string>): Promise<RunningApp> {
    const main = path.join(dist, name, 'main.js');
    const migrate = spawnSync(process.execPath, [main, 'migrate'], {
      env: { ...process.env, ...env },
      encoding: 'utf8',
    });
    if (migrate.status !== 0)
      throw new Error(`${name} migrate failed: ${migrate.stderr}${migrate.stdout}`);
    const port = Number(env['PORT']);
    const child = spawn(process.execPath, [main], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const app = { name, port, process: child, log: [] as string[] };
    child.stdout?.on('data', (chunk: Buffer) => app.log.push(chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => app.log.push(chunk.toString()));
    apps.push(app);
    await eventually(() => request(`http://127.0.0.1:${port}`).get('/health').expect(200), {
      timeoutMs: 30_000,
      intervalMs: 200,
    });
    return app;
  }

  beforeAll(async () => {
    for (const name of ['user-service', 'ticket-service'])
      await buildApp({ name, outputPath: path.join(dist, name) });
    [userDb, ticketDb, vhost] = await Promise.all([
      createTestDatabase({ prefix: 'e2e_user' }),
      createTestDatabase({ prefix: 'e2e_ticket' }),
      createTestVhost({ prefix: 'e2e' }),
    ]);
    const [userPort, ticketPort, gatewayPort] = [
      await freePort(),
      await freePort(),
      await freePort(),
    ];
    const common = {
      RABBITMQ_URL: vhost.url,
      LOG_LEVEL: 'warn',
      AUTH_REVOCATION_POLL_MS: '500',
      SERVICE_TOKEN_SECRET: 'e2e-'.repeat(10),
    };
    await run('user-service', {
      ...common,
      PORT: String(userPort),
      USER_SERVICE_DATABASE_URL: userDb.url,
      FORGOT_PASSWORD_MIN_RESPONSE_MS: '1',
    });
    await run('ticket-service', {
      ...common,
      PORT: String(ticketPort),
      TICKET_SERVICE_DATABASE_URL: ticketDb.url,
      AUTH_JWKS_URL: `http://127.0.0.1:${userPort}/.well-known/jwks.json`,
    });
    gatewayDir = fs.mkdtempSync(path.join(os.tmpdir(), 'e2e-gateway-'));
    await startGateway({
      runDir: gatewayDir,
      listenPort: gatewayPort,
      listenAddress: '127.0.0.1',
      portOverrides: { 'user-service': userPort, 'ticket-service': ticketPort },
    });
    gateway = request(`http://127.0.0.1:${gatewayPort}`);
  }, 180_000);

  afterAll(async () => {
    if (process.env['E2E_LOGS'])
      for (const app of apps) console.log(app.name, app.log.join('').slice(-4000));
    if (gatewayDir) {
      await stopGateway(gatewayDir);
      fs.rmSync(gatewayDir, { recursive: true, force: true });
    }
    for (const app of apps) {
      app.process.kill('SIGTERM');
      await new Promise((resolve) =>
        app.process.exitCode !== null ? resolve(null) : app.process.once('exit', resolve),
      );
    }
    await Promise.all([userDb?.drop(), ticketDb?.drop(), vhost?.drop()]);
    fs.rmSync(dist, { recursive: true, force: true });
  });

  /** What user-service mailed: the invitation token from its outbox (there is no mail service yet). */
  async function invitationToken(userId: string): Promise<string> {
    const client = new Client({ connectionString: userDb.url });
    await client.connect();
    try {
      const { rows } = await client.query(
        `SELECT envelope->'payload'->>'token' AS token FROM outbox WHERE event_type = 'user.invited' AND envelope->'payload'->>'userId' = $1`,
        [userId],
      );
      return rows[0].token;
    } finally {
      await client.end();
    }
  }

  it('signs up, invites an agent, works a ticket, and revokes across services', async () => {
    const slug = `e2e-${Date.now()}`;
    const admin = (
      await gateway
        .post('/api/v1/auth/signup')
        .send({
          organizationName: 'E2E Inc',
          organizationSlug: slug,
          name: 'Ada',
          email: 'ada@e2e.test',
          password: PASSWORD,
        })
        .expect(201)
    ).body;
    const asAdmin = { Authorization: `Bearer ${admin.accessToken}` };

    // ticket-service verifies user-service's token by itself (JWKS), no call per request.
    const ticket = (
      await gateway
        .post('/api/v1/tickets')
        .set(asAdmin)
        .set('X-Request-ID', 'e2e-create-1')
        .send({ title: 'VPN down', description: 'Since 9:00' })
        .expect(201)
    ).body;
    expect(ticket).toMatchObject({
      number: 1,
      organizationId: admin.organization.id,
      requesterId: admin.user.id,
    });

    const invited = (
      await gateway
        .post('/api/v1/users')
        .set(asAdmin)
        .send({ email: 'alan@e2e.test', name: 'Alan', role: 'agent' })
        .expect(201)
    ).body;
    await gateway
      .post('/api/v1/auth/reset-password')
      .send({ token: await invitationToken(invited.id), newPassword: PASSWORD })
      .expect(204);
    const agent = (
      await gateway
        .post('/api/v1/auth/login')
        .send({ organizationSlug: slug, email: 'alan@e2e.test', password: PASSWORD })
        .expect(200)
    ).body;
    const asAgent = { Authorization: `Bearer ${agent.accessToken}` };

    // The agent reaches ticket-service's directory replica through RabbitMQ; then assignment works.
    await eventually(
      () =>
        gateway
          .patch(`/api/v1/tickets/${ticket.id}/assign`)
          .set(asAdmin)
          .send({ assigneeId: invited.id })
          .expect(200),
      { timeoutMs: 20_000, intervalMs: 200 },
    );
    const inbox = await gateway.get('/api/v1/tickets/inbox').set(asAgent).expect(200);
    expect(inbox.body.data.map((t: { id: string }) => t.id)).toEqual([ticket.id]);
    await gateway
      .post(`/api/v1/tickets/${ticket.id}/comments`)
      .set(asAgent)
      .send({ body: 'Restarting the VPN gateway' })
      .expect(201);
    const found = await gateway.get('/api/v1/search/tickets?q=vpn').set(asAdmin).expect(200);
    expect(found.body.data[0]).toMatchObject({
      id: ticket.id,
      highlight: expect.stringContaining('<mark>'),
    });

    // Deleting the agent in user-service: their tickets are unassigned and their token dies everywhere.
    await gateway.delete(`/api/v1/users/${invited.id}`).set(asAdmin).expect(204);
    await eventually(
      async () => {
        const current = await gateway.get(`/api/v1/tickets/${ticket.id}`).set(asAdmin).expect(200);
        expect(current.body.assigneeId).toBeNull();
      },
      { timeoutMs: 20_000, intervalMs: 200 },
    );
    await eventually(() => gateway.get('/api/v1/tickets').set(asAgent).expect(401), {
      timeoutMs: 20_000,
      intervalMs: 200,
    });

    // Logging out: the admin's access token is refused by ticket-service within seconds.
    await gateway.post('/api/v1/auth/logout').set(asAdmin).expect(204);
    await eventually(() => gateway.get('/api/v1/tickets').set(asAdmin).expect(401), {
      timeoutMs: 20_000,
      intervalMs: 200,
    });
  }, 120_000);
});
