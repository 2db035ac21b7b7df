import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { httpStatus, isPortOpen, waitFor } from '../lib/wait';
import {
  fixturesDir,
  freePort,
  isRunning,
  readPid,
  removeDir,
  repositoryRoot,
  runNodeScript,
  scratchDir,
  smtpGreeting,
} from './support';

/**
 * `npm start` / `npm stop` end to end, as a second instance next to whatever
 * a developer runs: its own run directory, free ports, a fixture app
 * (tools/platform/test/fixtures/apps) registered in a throwaway registry with
 * a throwaway database. Real PostgreSQL, RabbitMQ, nginx and MailDev.
 */
describe('npm start / npm stop', () => {
  const startScript = path.join(repositoryRoot, 'tools/platform/start.js');
  const stopScript = path.join(repositoryRoot, 'tools/platform/stop.js');
  const adminUrl =
    process.env['HELPDESK_TEST_DATABASE_ADMIN_URL'] ??
    'postgres://helpdesk:helpdesk@127.0.0.1:5432/postgres';
  const registryPort = 3990;
  let scratch: string;
  let runDir: string;
  let env: NodeJS.ProcessEnv;
  let databaseName: string;
  let ports: { gateway: number; smtp: number; web: number; app: number };

  const gatewayUrl = (pathname: string) => `http://127.0.0.1:${ports.gateway}${pathname}`;
  const pidFile = (name: string) => path.join(runDir, 'pids', `${name}.pid`);
  /** Every pid our pid files name: the supervisor, its children, and nginx. */
  const recordedPids = (): Record<string, number> => {
    const pids: Record<string, number> = {};
    const dir = path.join(runDir, 'pids');
    for (const file of fs.existsSync(dir) ? fs.readdirSync(dir) : []) {
      const pid = readPid(path.join(dir, file));
      if (pid !== undefined) pids[file.replace(/\.pid$/, '')] = pid;
    }
    const nginx = readPid(path.join(runDir, 'gateway', 'nginx.pid'));
    if (nginx !== undefined) pids['nginx'] = nginx;
    return pids;
  };
  const greetings = async () => {
    const response = await fetch(gatewayUrl('/api/v1/greetings'));
    return {
      status: response.status,
      body: (await response.json()) as { greetings: string[]; pid: number },
    };
  };

  beforeAll(async () => {
    scratch = scratchDir('platform-e2e');
    runDir = path.join(scratch, 'run');
    databaseName = `t_platform_e2e_${crypto.randomBytes(4).toString('hex')}`;
    ports = {
      gateway: await freePort(),
      smtp: await freePort(),
      web: await freePort(),
      app: await freePort(),
    };
    const servicesFile = path.join(scratch, 'services.json');
    fs.writeFileSync(
      servicesFile,
      JSON.stringify({
        services: [
          {
            name: 'fixture-service',
            port: registryPort,
            database: databaseName,
            seed: true,
            routes: [{ path: '/api/v1/greetings' }],
          },
        ],
      }),
    );
    env = {
      ...process.env,
      HELPDESK_RUN_DIR: runDir,
      HELPDESK_APPS_DIR: path.join(fixturesDir, 'apps'),
      HELPDESK_SERVICES_FILE: servicesFile,
      HELPDESK_DIST_DIR: path.join(scratch, 'dist'),
      HELPDESK_PORT_OFFSET: String(ports.app - registryPort),
      HELPDESK_DATABASE_ADMIN_URL: adminUrl,
      GATEWAY_PORT: String(ports.gateway),
      MAILDEV_SMTP_PORT: String(ports.smtp),
      MAILDEV_WEB_PORT: String(ports.web),
      HELPDESK_START_TIMEOUT_MS: '60000',
    };
    delete env['FIXTURE_SERVICE_DATABASE_URL'];
    delete env['HELPDESK_PROCESS'];
  });

  afterAll(async () => {
    if (runDir && fs.existsSync(runDir))
      await runNodeScript(stopScript, [], { env, timeoutMs: 60_000 });
    if (databaseName) {
      const client = new Client({ connectionString: adminUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${databaseName} WITH (FORCE)`);
      await client.end();
    }
    if (scratch) removeDir(scratch);
  }, 90_000);

  it('start builds, migrates and starts the app, MailDev and the gateway, waits for health, seeds and prints where to go', async () => {
    const started = await runNodeScript(startScript, [], { env, timeoutMs: 110_000 });

    expect(started.output).toContain('start: every health check passes');
    expect(started.code).toBe(0);
    expect(started.output).toMatch(/prepare: PostgreSQL (ok|started)/);
    expect(started.output).toContain(`created ${databaseName}`);
    expect(started.output).toMatch(/fixture-service: built in/);
    expect(started.output).toContain('fixture-service: migrations applied');
    expect(started.output).toContain(`http://localhost:${ports.gateway}/api/v1/`);
    expect(started.output).toContain(`http://localhost:${ports.app}/docs`);
    expect(started.output).toContain(`http://localhost:${ports.web}`);
    expect(started.output).toContain('http://localhost:15672');
    // "seed": true: `main.js seed` ran with the app's environment once healthy; its stdout is printed.
    expect(started.output).toContain('fixture-service: demo data seeded');
    expect(started.output).toMatch(
      new RegExp(
        `Demo data \\(fixture-service[^\\n]*\\n  Fixture demo login: demo@fixture\\.test \\(database ${databaseName}\\)`,
      ),
    );
    expect(started.output.indexOf('every health check passes')).toBeLessThan(
      started.output.indexOf('fixture-service: demo data seeded'),
    );

    expect(await httpStatus(gatewayUrl('/health'))).toBe(200);
    expect(await httpStatus(`http://127.0.0.1:${ports.app}/health`)).toBe(200);
    // Through the gateway, from a production bundle, with the migration's row: built, migrated, routed.
    const { status, body } = await greetings();
    expect(status).toBe(200);
    expect(body.greetings).toEqual(['hello from a migration']);
    expect(body.pid).toBe(readPid(pidFile('fixture-service')));
  }, 150_000);

  it('keeps every process log in one place', () => {
    const logs = fs.readdirSync(path.join(runDir, 'logs'));
    expect(logs).toEqual(
      expect.arrayContaining([
        'supervisor.log',
        'maildev.log',
        'fixture-service.log',
        'fixture-service.seed.log',
        'gateway',
      ]),
    );
    expect(fs.readFileSync(path.join(runDir, 'logs', 'fixture-service.log'), 'utf8')).toContain(
      'Nest application successfully started',
    );
    expect(fs.readdirSync(path.join(runDir, 'logs', 'gateway'))).toEqual(
      expect.arrayContaining(['gateway.access.log']),
    );
  });

  it('runs MailDev: its web inbox answers and its SMTP port greets', async () => {
    expect(await httpStatus(`http://127.0.0.1:${ports.web}/api/healthz`)).toBe(200);
    expect(
      await httpStatus(`http://127.0.0.1:${ports.web}/`, { headers: { accept: 'text/html' } }),
    ).toBe(200);
    expect(await smtpGreeting(ports.smtp)).toMatch(/^220 /);
  });

  it('restarts the app when it crashes', async () => {
    const crashedPid = readPid(pidFile('fixture-service')) as number;

    process.kill(crashedPid, 'SIGKILL');

    const restarted = await waitFor(
      async () => {
        const pid = readPid(pidFile('fixture-service'));
        if (pid === undefined || pid === crashedPid) return undefined;
        return (await httpStatus(gatewayUrl('/api/v1/greetings'))) === 200 ? pid : undefined;
      },
      { timeoutMs: 30_000, what: 'the app to be restarted and answer through the gateway' },
    );
    expect((await greetings()).body.pid).toBe(restarted);
    expect(isRunning(crashedPid)).toBe(false);
  });

  it('start run again finds everything running and changes nothing', async () => {
    const before = recordedPids();

    const again = await runNodeScript(startScript, [], { env, timeoutMs: 110_000 });

    expect(again.code).toBe(0);
    expect(again.output).toContain('fixture-service: build up to date');
    expect(again.output).toMatch(
      /already running \(supervisor pid \d+\): kept maildev, fixture-service/,
    );
    expect(again.output).toContain('gateway already running');
    expect(again.output).toContain('Fixture demo login: demo@fixture.test');
    expect(recordedPids()).toEqual(before);
    expect(Object.values(before).every(isRunning)).toBe(true);
    expect((await greetings()).status).toBe(200);
  }, 150_000);

  it('start after the supervisor was killed replaces the processes it left behind, never running them twice', async () => {
    const before = recordedPids();
    process.kill(before['supervisor'], 'SIGKILL');
    await waitFor(() => (isRunning(before['supervisor']) ? undefined : true), {
      timeoutMs: 10_000,
      what: 'the supervisor to die',
    });

    const again = await runNodeScript(startScript, [], { env, timeoutMs: 110_000 });

    expect(again.code).toBe(0);
    expect(again.output).toMatch(
      /stopping fixture-service \(pid \d+\), left running by a supervisor that is gone/,
    );
    expect(again.output).toMatch(/supervisor started \(pid \d+\)/);
    const after = recordedPids();
    for (const name of ['supervisor', 'maildev', 'fixture-service']) {
      expect(after[name]).not.toBe(before[name]);
      expect(isRunning(before[name])).toBe(false);
      expect(isRunning(after[name])).toBe(true);
    }
    expect(after['nginx']).toBe(before['nginx']);
    expect((await greetings()).body.pid).toBe(after['fixture-service']);
  }, 150_000);

  it('stop stops exactly what start started, by pid file, and frees every port', async () => {
    const pids = recordedPids();
    expect(Object.keys(pids).sort()).toEqual(['fixture-service', 'maildev', 'nginx', 'supervisor']);

    const stopped = await runNodeScript(stopScript, [], { env, timeoutMs: 60_000 });

    expect(stopped.code).toBe(0);
    expect(stopped.output).toContain('PostgreSQL and RabbitMQ keep running');
    for (const [name, pid] of Object.entries(pids))
      expect({ name, running: isRunning(pid) }).toEqual({ name, running: false });
    for (const port of Object.values(ports))
      expect({ port, open: await isPortOpen(port) }).toEqual({ port, open: false });
    expect(recordedPids()).toEqual({});
    // Shared services stay up.
    expect(await isPortOpen(5432)).toBe(true);
  }, 90_000);

  it('stop with nothing running says so and succeeds', async () => {
    const stopped = await runNodeScript(stopScript, [], { env, timeoutMs: 60_000 });

    expect(stopped.code).toBe(0);
    expect(stopped.output).toContain('nothing was running');
  });
});
