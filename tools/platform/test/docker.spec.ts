import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import YAML from 'yaml';
// gateway/gateway.js is a plain CommonJS script without an import alias: imported by path.
import { loadServices } from '../../../gateway/gateway';
import { renderCompose } from '../../docker/compose';
import { renderContainerGatewayConfig } from '../../docker/render-gateway';
import { removeDir, repositoryRoot, scratchDir } from './support';

/**
 * No Docker engine runs where this is developed, so the container setup is
 * checked for what can be checked without one: structure, references between
 * files, the generated nginx config (by real nginx), the database init script
 * (against real PostgreSQL) and the build stage's file list (by running the
 * build on exactly those files).
 */
interface ComposeService {
  image?: string;
  build?: { context: string; dockerfile: string; args?: Record<string, string> };
  command?: string[];
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
  ports?: string[];
  volumes?: string[];
}

const dockerDir = path.join(repositoryRoot, 'tools', 'docker');
const adminUrl =
  process.env['HELPDESK_TEST_DATABASE_ADMIN_URL'] ??
  'postgres://helpdesk:helpdesk@127.0.0.1:5432/postgres';

describe('docker-compose.yml', () => {
  const text = fs.readFileSync(path.join(repositoryRoot, 'docker-compose.yml'), 'utf8');
  const compose = YAML.parse(text) as {
    services: Record<string, ComposeService>;
    volumes: Record<string, unknown>;
  };
  const registry = loadServices();

  it('is what tools/docker/compose.js renders from the registry (run `node tools/docker/compose.js --write` when this fails)', () => {
    expect(compose).toEqual(JSON.parse(JSON.stringify(renderCompose())));
  });

  it('has the infrastructure, one service per registry entry, and the gateway', () => {
    expect(Object.keys(compose.services).sort()).toEqual(
      [
        'gateway',
        'gateway-config',
        'maildev',
        'postgres',
        'rabbitmq',
        ...registry.map((service) => service.name),
      ].sort(),
    );
    expect(compose.services['postgres'].image).toBe('postgres:15');
    expect(compose.services['rabbitmq'].image).toMatch(/^rabbitmq:3\.13-management/);
    expect(compose.services['rabbitmq'].ports).toContain('15672:15672');
  });

  it('builds every app from tools/docker/Dockerfile with its APP, migrates before serving, and wires it to the infrastructure', () => {
    for (const service of registry) {
      const app = compose.services[service.name];
      expect(app.build).toEqual({
        context: '.',
        dockerfile: 'tools/docker/Dockerfile',
        args: { APP: service.name, PORT: String(service.port) },
      });
      expect(app.command?.join(' ')).toMatch(/node main\.js migrate && exec node main\.js/);
      const urlVariable = `${service.name.toUpperCase().replace(/-/g, '_')}_DATABASE_URL`;
      expect(app.environment).toMatchObject({
        PORT: String(service.port),
        [urlVariable]: `postgres://helpdesk:helpdesk@postgres:5432/${service.database}`,
        RABBITMQ_URL: 'amqp://guest:guest@rabbitmq:5672',
        SMTP_URL: 'smtp://maildev:1025',
      });
      expect(app.depends_on).toEqual({
        postgres: { condition: 'service_healthy' },
        rabbitmq: { condition: 'service_healthy' },
        maildev: { condition: 'service_healthy' },
      });
      expect(app.healthcheck?.test.join(' ')).toContain(`127.0.0.1:${service.port}/health`);
    }
  });

  it('gives every long-running service a health check', () => {
    for (const name of [
      'postgres',
      'rabbitmq',
      'maildev',
      'gateway',
      ...registry.map((service) => service.name),
    ]) {
      expect({ name, healthcheck: Boolean(compose.services[name].healthcheck) }).toEqual({
        name,
        healthcheck: true,
      });
    }
  });

  it('starts the gateway after its config is rendered and every app is healthy', () => {
    expect(compose.services['gateway'].depends_on).toEqual({
      'gateway-config': { condition: 'service_completed_successfully' },
      ...Object.fromEntries(
        registry.map((service) => [service.name, { condition: 'service_healthy' }]),
      ),
    });
    expect(compose.services['gateway'].ports).toEqual(['8080:8080']);
  });

  it('creates every registry database in PostgreSQL', () => {
    expect(compose.services['postgres'].environment?.['HELPDESK_DATABASES']?.split(' ')).toEqual(
      registry.map((service) => service.database),
    );
  });

  it('only references files that exist', () => {
    for (const service of Object.values(compose.services)) {
      if (service.build) {
        expect(
          fs.existsSync(path.join(repositoryRoot, service.build.context, service.build.dockerfile)),
        ).toBe(true);
      }
      for (const volume of service.volumes ?? []) {
        const [source] = volume.split(':');
        if (source.startsWith('./'))
          expect({ volume, exists: fs.existsSync(path.join(repositoryRoot, source)) }).toEqual({
            volume,
            exists: true,
          });
      }
    }
    expect(compose.services['gateway-config'].command).toEqual(
      expect.arrayContaining(['/repo/tools/docker/render-gateway.js']),
    );
  });

  it('builds MailDev at the version the workspace uses', () => {
    const workspace = JSON.parse(
      fs.readFileSync(path.join(repositoryRoot, 'package.json'), 'utf8'),
    );
    expect(compose.services['maildev'].build?.args).toEqual({
      MAILDEV_VERSION: workspace.devDependencies.maildev,
    });
  });
});

describe('the app Dockerfile', () => {
  const dockerfile = fs.readFileSync(path.join(dockerDir, 'Dockerfile'), 'utf8');
  const stages = dockerfile.split(/^FROM /m).slice(1);

  it('builds in one stage and runs in another, as an unprivileged user, with a health check', () => {
    expect(stages).toHaveLength(2);
    const [builder, runtime] = stages;
    expect(builder).toMatch(/^\$\{NODE_IMAGE\} AS builder/);
    expect(dockerfile).toMatch(/^ARG NODE_IMAGE=node:20-bookworm-slim$/m);
    expect(builder).toMatch(/^ARG APP$/m);
    expect(builder).toMatch(/^RUN node tools\/build\/build-app\.js "\$APP" --production$/m);
    expect(runtime).toMatch(/npm ci --omit=dev/);
    expect(runtime).toMatch(/^USER node$/m);
    expect(runtime).toMatch(/^HEALTHCHECK .*[\s\S]*\/health/m);
    expect(runtime).toMatch(/^CMD \["node", "main\.js"\]$/m);
    expect(runtime).not.toMatch(/COPY (?!--from=builder)/);
  });

  it('keeps node_modules, build output and tests out of the build context', () => {
    const ignored = fs
      .readFileSync(path.join(dockerDir, 'Dockerfile.dockerignore'), 'utf8')
      .split('\n');
    expect(ignored).toEqual(
      expect.arrayContaining(['**/node_modules', 'dist', '.run', '.git', '**/*.spec.ts']),
    );
  });

  it('copies into the build stage everything the build needs: a build from exactly those files succeeds', () => {
    const builder = stages[0];
    const sources = [...builder.matchAll(/^COPY (?!--)(.+) (\S+)$/gm)].flatMap((match) =>
      match[1].split(' '),
    );
    const context = scratchDir('platform-docker-context');
    try {
      for (const source of sources) {
        if (source === 'apps/${APP}') continue;
        fs.cpSync(path.join(repositoryRoot, source), path.join(context, source), {
          recursive: true,
          filter: (file) => !file.includes(`${path.sep}node_modules`),
        });
      }
      // A stand-in app where a real one lives, and the installed dependencies the `npm ci` layer provides.
      const app = path.join(context, 'apps', 'fixture-service');
      fs.cpSync(
        path.join(repositoryRoot, 'tools/platform/test/fixtures/apps/fixture-service/src'),
        path.join(app, 'src'),
        { recursive: true },
      );
      fs.writeFileSync(
        path.join(app, 'tsconfig.json'),
        JSON.stringify({ extends: '../../tsconfig.base.json', include: ['src/**/*.ts'] }),
      );
      fs.symlinkSync(path.join(repositoryRoot, 'node_modules'), path.join(context, 'node_modules'));

      const build = spawnSync(
        process.execPath,
        ['tools/build/build-app.js', 'fixture-service', '--production'],
        {
          cwd: context,
          encoding: 'utf8',
          timeout: 120_000,
        },
      );

      expect(build.stderr).not.toMatch(/FAILED/);
      expect(build.status).toBe(0);
      expect(fs.existsSync(path.join(context, 'dist/apps/fixture-service/main.js'))).toBe(true);
      expect(fs.existsSync(path.join(context, 'dist/apps/fixture-service/package-lock.json'))).toBe(
        true,
      );
    } finally {
      removeDir(context);
    }
  }, 150_000);
});

describe('the gateway config rendered for containers', () => {
  const registry = loadServices();

  it('points each upstream at its compose service', () => {
    const config = renderContainerGatewayConfig();
    for (const service of registry) {
      expect(config).toMatch(
        new RegExp(
          `upstream ${service.name} \\{\\s*\\n\\s*server ${service.name}:${service.port};`,
        ),
      );
    }
    expect(config).not.toMatch(/server 127\.0\.0\.1:/);
  });

  it('is accepted by nginx (with the service names resolving locally)', () => {
    const runDir = scratchDir('platform-docker-gateway');
    try {
      fs.mkdirSync(path.join(runDir, 'logs'));
      fs.mkdirSync(path.join(runDir, 'tmp'));
      // nginx resolves upstream names when it loads the config; outside compose they do not exist.
      let config = renderContainerGatewayConfig({ runDir });
      for (const service of registry)
        config = config.replace(`server ${service.name}:`, 'server 127.0.0.1:');
      const file = path.join(runDir, 'nginx.conf');
      fs.writeFileSync(file, config);

      const check = spawnSync(
        process.env['GATEWAY_NGINX_BIN'] ?? '/usr/sbin/nginx',
        ['-t', '-p', `${runDir}/`, '-c', file, '-e', 'stderr'],
        {
          encoding: 'utf8',
        },
      );

      expect(check.stderr).toContain('test is successful');
      expect(check.status).toBe(0);
    } finally {
      removeDir(runDir);
    }
  });
});

describe('the PostgreSQL init script (tools/docker/postgres/create-databases.sh)', () => {
  const names = [1, 2].map(() => `t_platform_init_${crypto.randomBytes(4).toString('hex')}`);

  afterAll(async () => {
    const client = new Client({ connectionString: adminUrl });
    await client.connect();
    for (const name of names) await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await client.end();
  });

  const runScript = (databases: string) => {
    const admin = new URL(adminUrl);
    return spawnSync('bash', [path.join(dockerDir, 'postgres', 'create-databases.sh')], {
      encoding: 'utf8',
      env: {
        ...process.env,
        HELPDESK_DATABASES: databases,
        POSTGRES_USER: decodeURIComponent(admin.username),
        POSTGRES_DB: admin.pathname.slice(1) || 'postgres',
        PGHOST: admin.hostname,
        PGPORT: admin.port || '5432',
        PGPASSWORD: decodeURIComponent(admin.password),
      },
    });
  };

  it('creates each listed database, and keeps them when run again', async () => {
    const first = runScript(names.join(' '));
    expect(first.stderr).toBe('');
    expect(first.status).toBe(0);
    const second = runScript(names.join(' '));
    expect(second.status).toBe(0);
    expect(second.stdout).toContain(`create-databases: ${names[0]} exists`);

    const client = new Client({ connectionString: adminUrl });
    await client.connect();
    const { rows } = await client.query(
      'SELECT datname FROM pg_database WHERE datname = ANY($1) ORDER BY datname',
      [names],
    );
    await client.end();
    expect(rows.map((row: { datname: string }) => row.datname)).toEqual([...names].sort());
  });

  it('refuses a database name that is not a plain identifier', () => {
    const result = runScript('bad-name;drop');
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain("refusing odd database name 'bad-name;drop'");
  });
});
