import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { buildApp } from '../../build/build-app';
import { pruneLockfile, runtimeDependencies } from '../../build/runtime-package';
import { httpStatus, waitFor } from '../lib/wait';
import { fixturesDir, freePort, removeDir, repositoryRoot, runNodeScript } from './support';

const adminUrl =
  process.env['HELPDESK_TEST_DATABASE_ADMIN_URL'] ??
  'postgres://helpdesk:helpdesk@127.0.0.1:5432/postgres';

describe('the runtime lockfile cut out of the workspace lockfile', () => {
  const workspaceLock = {
    lockfileVersion: 3,
    packages: {
      '': {
        name: 'workspace',
        dependencies: { app: '1.0.0', other: '1.0.0' },
        devDependencies: { tool: '1.0.0' },
      },
      'node_modules/app': {
        version: '1.0.0',
        dependencies: { shared: '^2.0.0' },
        optionalDependencies: { native: '1.0.0' },
        peerDependencies: { peer: '1.0.0', 'optional-peer': '1.0.0' },
        peerDependenciesMeta: { 'optional-peer': { optional: true } },
      },
      'node_modules/app/node_modules/shared': { version: '2.0.0', dev: true },
      'node_modules/shared': { version: '1.0.0' },
      'node_modules/native': { version: '1.0.0', optional: true, os: ['linux'] },
      'node_modules/peer': { version: '1.0.0', dev: true, peer: true },
      'node_modules/optional-peer': { version: '1.0.0' },
      'node_modules/other': { version: '1.0.0', dependencies: { shared: '^1.0.0' } },
      'node_modules/tool': { version: '1.0.0', dev: true },
    },
  };
  const runtimePackage = {
    name: '@helpdesk/app',
    version: '0.1.0',
    dependencies: { app: '1.0.0' },
  };

  it('keeps what the runtime dependencies reach, at the same place in the tree, and nothing else', () => {
    const pruned = pruneLockfile(workspaceLock, runtimePackage);

    expect(Object.keys(pruned.packages).sort()).toEqual([
      '',
      'node_modules/app',
      'node_modules/app/node_modules/shared',
      'node_modules/native',
      'node_modules/peer',
    ]);
    expect(pruned.packages['']).toEqual({
      name: '@helpdesk/app',
      version: '0.1.0',
      dependencies: { app: '1.0.0' },
    });
  });

  it('recomputes the flags for the smaller tree: nothing is dev, optional and peer-only packages say so', () => {
    const { packages } = pruneLockfile(workspaceLock, runtimePackage);

    expect(packages['node_modules/app/node_modules/shared']).toEqual({ version: '2.0.0' });
    expect(packages['node_modules/native']).toEqual({
      version: '1.0.0',
      os: ['linux'],
      optional: true,
    });
    expect(packages['node_modules/peer']).toEqual({ version: '1.0.0', peer: true });
  });

  it('refuses a lockfile that lacks a required package', () => {
    const broken = {
      ...workspaceLock,
      packages: { ...workspaceLock.packages },
    } as typeof workspaceLock;
    delete (broken.packages as Record<string, unknown>)['node_modules/peer'];

    expect(() => pruneLockfile(broken, runtimePackage)).toThrow(
      /no "peer" reachable from node_modules\/app/,
    );
  });
});

describe('the runtime dependencies of a bundle', () => {
  let nodeModules: string;

  beforeAll(() => {
    nodeModules = fs.mkdtempSync(path.join(os.tmpdir(), 'platform-node-modules-'));
    const install = (name: string, manifest: Record<string, unknown>) => {
      fs.mkdirSync(path.join(nodeModules, name), { recursive: true });
      fs.writeFileSync(
        path.join(nodeModules, name, 'package.json'),
        JSON.stringify({ name, ...manifest }),
      );
    };
    install('orm', {
      version: '1.2.3',
      peerDependencies: { 'pg-driver': '*', 'mysql-driver': '*' },
      peerDependenciesMeta: { 'pg-driver': { optional: true }, 'mysql-driver': { optional: true } },
    });
    install('pg-driver', { version: '8.0.0' });
    install('test-helper', { version: '3.0.0' });
    install('undeclared', { version: '0.0.7' });
  });

  afterAll(() => removeDir(nodeModules));

  it('lists the required packages with the workspace versions, plus optional peers the workspace ships to production', () => {
    const { dependencies, warnings } = runtimeDependencies(['orm'], {
      workspacePackage: {
        dependencies: { orm: '1.2.3', 'pg-driver': '8.0.0' },
        devDependencies: { 'mysql-driver': '3.0.0' },
      },
      nodeModules,
    });

    expect(dependencies).toEqual({ orm: '1.2.3', 'pg-driver': '8.0.0' });
    expect(warnings).toEqual([]);
  });

  it('warns about a package the app needs at run time that the workspace keeps in devDependencies or does not declare', () => {
    const { dependencies, warnings } = runtimeDependencies(['test-helper', 'undeclared'], {
      workspacePackage: { dependencies: {}, devDependencies: { 'test-helper': '3.0.0' } },
      nodeModules,
    });

    expect(dependencies).toEqual({ 'test-helper': '3.0.0', undeclared: '0.0.7' });
    expect(warnings).toEqual([
      expect.stringMatching(/test-helper is a devDependency .* move it to "dependencies"/),
      expect.stringMatching(/undeclared is required by the app but not declared .*0\.0\.7/),
    ]);
  });
});

/** What `npm ci --omit=dev` would install from the runtime lockfile, linked from the workspace's node_modules. */
function installFromWorkspace(appDir: string): void {
  const { packages } = JSON.parse(
    fs.readFileSync(path.join(appDir, 'package-lock.json'), 'utf8'),
  ) as {
    packages: Record<string, { optional?: boolean }>;
  };
  const link = (source: string, target: string, packageRoot: string) => {
    const stat = fs.lstatSync(source);
    if (stat.isDirectory()) {
      // A package's own node_modules holds other lockfile entries: linked only if listed.
      if (path.basename(source) === 'node_modules' && path.dirname(source) === packageRoot) return;
      fs.mkdirSync(target, { recursive: true });
      for (const entry of fs.readdirSync(source))
        link(path.join(source, entry), path.join(target, entry), packageRoot);
    } else if (stat.isSymbolicLink()) {
      fs.symlinkSync(fs.readlinkSync(source), target);
    } else {
      fs.linkSync(source, target);
    }
  };
  for (const [key, entry] of Object.entries(packages)) {
    if (!key) continue;
    const source = path.join(repositoryRoot, key);
    if (!fs.existsSync(source)) {
      if (entry.optional) continue;
      throw new Error(`${key} is in the runtime lockfile but not installed in the workspace`);
    }
    link(source, path.join(appDir, key), source);
  }
}

describe('building an app (tools/build/build-app.js)', () => {
  const fixtureRoot = path.join(fixturesDir, 'apps', 'fixture-service');
  let outputPath: string;
  let databaseName: string;
  let server: ChildProcess | undefined;

  beforeAll(async () => {
    // Outside the repository: the bundle must run with only the packages its package.json lists.
    outputPath = path.join(
      fs.mkdtempSync(path.join(os.tmpdir(), 'platform-build-')),
      'fixture-service',
    );
    databaseName = `t_platform_build_${crypto.randomBytes(4).toString('hex')}`;
    await buildApp({
      name: 'fixture-service',
      projectRoot: fixtureRoot,
      outputPath,
      production: true,
    });
  }, 120_000);

  afterAll(async () => {
    if (server?.pid && server.exitCode === null) server.kill('SIGKILL');
    removeDir(path.dirname(outputPath));
    const client = new Client({ connectionString: adminUrl });
    await client.connect();
    await client.query(`DROP DATABASE IF EXISTS ${databaseName} WITH (FORCE)`);
    await client.end();
  });

  it('writes one bundle with a source map, the workspace libraries inside it and npm packages outside', () => {
    expect(fs.readdirSync(outputPath).sort()).toEqual(
      expect.arrayContaining(['main.js', 'main.js.map', 'package-lock.json', 'package.json']),
    );
    const bundle = fs.readFileSync(path.join(outputPath, 'main.js'), 'utf8');
    expect(bundle).toContain('hello from a migration');
    expect(bundle).toMatch(/createHttpApp/); // @helpdesk/http, compiled in
    expect(bundle).not.toMatch(/require\(["']@helpdesk\//);
    expect(bundle).toMatch(/require\("@nestjs\/core"\)/);
    const map = JSON.parse(fs.readFileSync(path.join(outputPath, 'main.js.map'), 'utf8')) as {
      sources: string[];
    };
    expect(
      map.sources.some((source) => source.endsWith('fixture-service/src/greetings.controller.ts')),
    ).toBe(true);
  });

  it('lists exactly the run-time packages the bundle needs, with the workspace versions', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(outputPath, 'package.json'), 'utf8'));
    const workspace = JSON.parse(
      fs.readFileSync(path.join(repositoryRoot, 'package.json'), 'utf8'),
    );

    expect(manifest.name).toBe('@helpdesk/fixture-service');
    expect(Object.keys(manifest.dependencies)).toEqual(
      expect.arrayContaining([
        '@nestjs/core',
        '@nestjs/platform-fastify',
        '@nestjs/typeorm',
        'typeorm',
        'pg',
        'reflect-metadata',
      ]),
    );
    for (const [name, version] of Object.entries(manifest.dependencies)) {
      expect(workspace.dependencies[name]).toBe(version);
    }
    for (const tool of [
      'webpack',
      'jest',
      'typescript',
      'nx',
      'maildev',
      'handlebars',
      'nodemailer',
    ]) {
      expect(manifest.dependencies).not.toHaveProperty(tool);
    }
  });

  it('produces a lockfile `npm ci --omit=dev` accepts as in sync with the package.json', () => {
    const result = spawnSync(
      'npm',
      ['ci', '--omit=dev', '--dry-run', '--offline', '--ignore-scripts', '--no-audit', '--no-fund'],
      {
        cwd: outputPath,
        encoding: 'utf8',
        timeout: 60_000,
      },
    );

    expect(`${result.stdout}${result.stderr}`).not.toMatch(/in sync|Missing:|Invalid:/);
    expect(result.status).toBe(0);
  });

  it('boots from the bundle alone: migrates, serves, and answers through its injected services', async () => {
    installFromWorkspace(outputPath);
    const port = await freePort();
    const env = {
      ...process.env,
      NODE_ENV: 'production',
      PORT: String(port),
      FIXTURE_SERVICE_DATABASE_URL: `${adminUrl.replace(/\/[^/]*$/, '')}/${databaseName}`,
    };
    const migrated = await runNodeScript(path.join(outputPath, 'main.js'), ['migrate'], {
      env,
      cwd: outputPath,
      timeoutMs: 60_000,
    });
    expect(migrated.output).toContain('1 migration(s) applied');
    expect(migrated.code).toBe(0);

    server = spawn(process.execPath, ['--enable-source-maps', path.join(outputPath, 'main.js')], {
      cwd: outputPath,
      env,
      stdio: 'ignore',
    });
    await waitFor(
      async () =>
        (await httpStatus(`http://127.0.0.1:${port}/health`)) === 200 ? true : undefined,
      {
        timeoutMs: 30_000,
        what: 'the bundled app to answer GET /health with 200',
      },
    );
    const response = await fetch(`http://127.0.0.1:${port}/api/v1/greetings`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      greetings: ['hello from a migration'],
      pid: server.pid,
    });
    expect(await httpStatus(`http://127.0.0.1:${port}/docs`)).toBe(200);
  }, 120_000);
});
