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

export const PASSWORD = 'correct horse battery staple';

/** One app of the platform, built as its production bundle and run as a process. */
export class AppProcess {
  readonly log: string[] = [];
  private child: ChildProcess | undefined;

  constructor(
    readonly name: string,
    readonly port: number,
    readonly database: TestDatabase,
    private readonly main: string,
    private readonly env: Record<string, string>,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  migrate(): void {
    const run = spawnSync(process.execPath, [this.main, 'migrate'], {
      env: { ...process.env, ...this.env },
      encoding: 'utf8',
    });
    if (run.status !== 0)
      throw new Error(`${this.name} migrate failed: ${run.stderr}${run.stdout}`);
  }

  async start(): Promise<void> {
    const child = spawn(process.execPath, [this.main], {
      env: { ...process.env, ...this.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.on('data', (chunk: Buffer) => this.log.push(chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => this.log.push(chunk.toString()));
    this.child = child;
    await eventually(() => request(this.url).get('/health').expect(200), {
      timeoutMs: 30_000,
      intervalMs: 200,
    });
  }

  /** SIGTERM, as a deploy or an operator would; waits until the process is gone. */
  async stop(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }

  /** A query on the app's own database (for what a test cannot see through the API). */
  async query<T = Record<string, unknown>>(sql: string, parameters: unknown[] = []): Promise<T[]> {
    const client = new Client({ connectionString: this.database.url });
    await client.connect();
    try {
      return (await client.query(sql, parameters)).rows as T[];
    } finally {
      await client.end();
    }
  }
}

export interface CaughtEmail {
  id: string;
  subject: string;
  text?: string;
  html?: string;
  to: { address: string; name?: string }[];
  headers?: Record<string, unknown>;
}

/** MailDev, the SMTP catcher npm start runs, as a process with its REST API. */
export class MailCatcher {
  private child: ChildProcess | undefined;

  private constructor(
    readonly smtpPort: number,
    readonly webPort: number,
    private readonly directory: string,
  ) {}

  static async create(): Promise<MailCatcher> {
    return new MailCatcher(
      await freePort(),
      await freePort(),
      fs.mkdtempSync(path.join(os.tmpdir(), 'e2e-mail-')),
    );
  }

  get smtpUrl(): string {
    return `smtp://127.0.0.1:${this.smtpPort}`;
  }

  async start(): Promise<void> {
    const packageDir = path.join(root, 'node_modules', 'maildev');
    const manifest = JSON.parse(fs.readFileSync(path.join(packageDir, 'package.json'), 'utf8'));
    const bin = typeof manifest.bin === 'string' ? manifest.bin : manifest.bin.maildev;
    this.child = spawn(
      process.execPath,
      [
        path.join(packageDir, bin),
        '--smtp',
        String(this.smtpPort),
        '--ip',
        '127.0.0.1',
        '--web',
        String(this.webPort),
        '--mail-directory',
        this.directory,
      ],
      { stdio: 'ignore' },
    );
    await eventually(
      () => request(`http://127.0.0.1:${this.webPort}`).get('/api/healthz').expect(200),
      { timeoutMs: 20_000, intervalMs: 200 },
    );
  }

  async stop(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }

  /** Every e-mail received so far (MailDev keeps them in its directory across restarts). */
  async emails(): Promise<CaughtEmail[]> {
    const response = await request(`http://127.0.0.1:${this.webPort}`)
      .get('/api/email?limit=10000')
      .expect(200);
    const body = response.body as CaughtEmail[] | { data?: CaughtEmail[]; emails?: CaughtEmail[] };
    return Array.isArray(body) ? body : (body.data ?? body.emails ?? []);
  }

  async close(): Promise<void> {
    await this.stop();
    fs.rmSync(this.directory, { recursive: true, force: true });
  }
}

export interface Platform {
  gateway: ReturnType<typeof request>;
  apps: Record<string, AppProcess>;
  /** One of the started apps; throws for a name that was not started. */
  app(name: string): AppProcess;
  mail: MailCatcher;
  close(): Promise<void>;
}

const DATABASE_VARIABLE = (name: string) => `${name.replace(/-/g, '_').toUpperCase()}_DATABASE_URL`;

/**
 * The platform as a client meets it: the named apps built as production
 * bundles and run as processes on their own databases and one RabbitMQ
 * vhost, MailDev as the SMTP server, the real NGINX gateway in front.
 * Nothing is imported from the apps; everything crosses HTTP or the bus.
 */
export async function startPlatform(
  names: string[],
  env: Record<string, Record<string, string>> = {},
  gatewayOptions: Record<string, string | number> = {},
): Promise<Platform> {
  const dist = path.join(root, 'dist', `e2e-${process.pid}-${Date.now()}`);
  const vhost: TestVhost = await createTestVhost({ prefix: 'e2e' });
  const mail = await MailCatcher.create();
  await mail.start();
  const ports = Object.fromEntries(
    await Promise.all(names.map(async (name) => [name, await freePort()] as const)),
  );
  const common = {
    RABBITMQ_URL: vhost.url,
    LOG_LEVEL: 'warn',
    AUTH_REVOCATION_POLL_MS: '500',
    SERVICE_TOKEN_SECRET: 'e2e-secret-'.repeat(4),
    AUTH_JWKS_URL: `http://127.0.0.1:${ports['user-service']}/.well-known/jwks.json`,
    USER_DIRECTORY_SNAPSHOT_URL: `http://127.0.0.1:${ports['user-service']}/internal/directory`,
    SMTP_URL: mail.smtpUrl,
    WEB_URL: 'http://web.helpdesk.test',
    FORGOT_PASSWORD_MIN_RESPONSE_MS: '1',
  };
  const apps: Record<string, AppProcess> = {};
  for (const name of names) {
    await buildApp({ name, outputPath: path.join(dist, name) });
    const database = await createTestDatabase({ prefix: `e2e_${name.split('-')[0]}` });
    apps[name] = new AppProcess(
      name,
      ports[name] as number,
      database,
      path.join(dist, name, 'main.js'),
      {
        ...common,
        PORT: String(ports[name]),
        [DATABASE_VARIABLE(name)]: database.url,
        ...env[name],
      },
    );
  }
  for (const app of Object.values(apps)) app.migrate();
  // Consumers first, so their queues are bound before anything is published.
  for (const app of Object.values(apps).reverse()) await app.start();
  const gatewayDir = fs.mkdtempSync(path.join(os.tmpdir(), 'e2e-gateway-'));
  const gatewayPort = await freePort();
  await startGateway({
    runDir: gatewayDir,
    listenPort: gatewayPort,
    listenAddress: '127.0.0.1',
    portOverrides: ports,
    ...gatewayOptions,
  });
  return {
    gateway: request(`http://127.0.0.1:${gatewayPort}`),
    apps,
    app: (name) => {
      const app = apps[name];
      if (!app) throw new Error(`${name} was not started`);
      return app;
    },
    mail,
    close: async () => {
      if (process.env['E2E_LOGS'])
        for (const app of Object.values(apps)) console.log(app.name, app.log.join('').slice(-6000));
      await stopGateway(gatewayDir);
      fs.rmSync(gatewayDir, { recursive: true, force: true });
      for (const app of Object.values(apps)) await app.stop();
      await mail.close();
      for (const app of Object.values(apps)) await app.database.drop();
      await vhost.drop();
      fs.rmSync(dist, { recursive: true, force: true });
    },
  };
}
