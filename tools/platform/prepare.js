#!/usr/bin/env node
// @ts-check
/**
 * Prepares a Debian machine for `npm start` and `npm test`, idempotently:
 *
 * 1. npm dependencies: `npm ci` when node_modules is missing or does not match
 *    package-lock.json;
 * 2. PostgreSQL on 127.0.0.1:5432: used when it answers; otherwise installed
 *    from Debian's packages (when missing) and started with pg_ctlcluster;
 * 3. the PostgreSQL role `helpdesk` (password `helpdesk`, LOGIN, CREATEDB);
 * 4. RabbitMQ on 127.0.0.1:5672 with the management plugin on 15672;
 * 5. an nginx binary for the gateway (our own instance is started by
 *    gateway/gateway.js; the system nginx is never started or touched).
 *
 * When everything is in place it only probes (well under a second plus the
 * node_modules check), so `npm test` and CI run it every time. Each step
 * prints one line: ok / started / installed / created. Every wait has a
 * deadline; a failure names what failed and what to do.
 *
 *   node tools/platform/prepare.js
 */
const fs = require('node:fs');
const path = require('node:path');
const { repositoryRoot, resolvePlatformConfig } = require('./lib/config');
const {
  runCommand,
  runCommandOrFail,
  runDaemonizing,
  findExecutable,
  lastLines,
} = require('./lib/commands');
const { waitFor, errorMessage } = require('./lib/wait');
const {
  isPostgresListening,
  isAmqpListening,
  isRabbitMqManagementListening,
} = require('./lib/probes');

const minute = 60_000;
const localHosts = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);
const managementPort = 15672;

/**
 * @typedef {object} PrepareOptions
 * @property {NodeJS.ProcessEnv} [env]
 * @property {(line: string) => void} [log]
 * @property {string} [root] the repository (default: this one)
 */

/**
 * What one prepare run knows so far (`apt-get update` runs at most once).
 * @typedef {object} PrepareContext
 * @property {NodeJS.ProcessEnv} env
 * @property {(line: string) => void} log
 * @property {string} root
 * @property {string} logFile where installers' and daemons' output goes
 * @property {boolean} aptUpdated
 */

/**
 * @param {PrepareOptions} [options]
 */
async function prepare({
  env = process.env,
  log = (line) => console.log(line),
  root = repositoryRoot,
} = {}) {
  const config = resolvePlatformConfig(env);
  /** @type {PrepareContext} */
  const context = {
    env,
    log: (line) => log(`prepare: ${line}`),
    root,
    logFile: path.join(config.logsDir, 'prepare.log'),
    aptUpdated: false,
  };
  await ensureNpmDependencies(context);
  const database = new URL(config.databaseAdminUrl);
  await ensurePostgres(context, database.hostname, Number(database.port || 5432));
  await ensureHelpdeskRole(context, database.hostname, Number(database.port || 5432));
  const broker = new URL(config.rabbitmqUrl);
  await ensureRabbitMq(context, broker.hostname, Number(broker.port || 5672));
  await ensureNginx(context);
}

// ---------------------------------------------------------------------------
// npm dependencies
// ---------------------------------------------------------------------------

/** @param {PrepareContext} context */
async function ensureNpmDependencies(context) {
  const lockFile = path.join(context.root, 'package-lock.json');
  const installedLock = path.join(context.root, 'node_modules', '.package-lock.json');
  if (!fs.existsSync(installedLock)) {
    await npmCi(context, 'node_modules is missing');
    return;
  }
  if (fs.statSync(installedLock).mtimeMs >= fs.statSync(lockFile).mtimeMs) {
    context.log('npm dependencies ok');
    return;
  }
  // A newer package-lock.json may only have been touched (a checkout): compare
  // what it pins with what is installed before wiping node_modules.
  const mismatch = firstLockMismatch(lockFile, installedLock);
  if (mismatch === undefined) {
    context.log('npm dependencies ok (package-lock.json is newer but pins what is installed)');
    return;
  }
  await npmCi(context, `node_modules is older than package-lock.json (${mismatch})`);
}

/**
 * The first package package-lock.json pins differently from what npm
 * recorded as installed, or undefined when they agree. Optional packages may
 * legitimately be absent (another platform's binaries).
 * @param {string} lockFile
 * @param {string} installedLock
 */
function firstLockMismatch(lockFile, installedLock) {
  /** @type {Record<string, { version?: string, optional?: boolean, link?: boolean }>} */
  const wanted = JSON.parse(fs.readFileSync(lockFile, 'utf8')).packages ?? {};
  /** @type {Record<string, { version?: string }>} */
  const installed = JSON.parse(fs.readFileSync(installedLock, 'utf8')).packages ?? {};
  for (const [key, entry] of Object.entries(wanted)) {
    if (key === '' || entry.link) continue;
    const present = installed[key];
    if (!present) {
      if (entry.optional) continue;
      return `${key} is not installed`;
    }
    if (entry.version !== present.version)
      return `${key} ${present.version} installed, ${entry.version} locked`;
  }
  return undefined;
}

/**
 * @param {PrepareContext} context
 * @param {string} reason
 */
async function npmCi(context, reason) {
  context.log(`npm dependencies: running npm ci (${reason}) ...`);
  const npm = findExecutable('npm') ?? 'npm';
  await runCommandOrFail(npm, ['ci', '--no-audit', '--no-fund'], {
    timeoutMs: 20 * minute,
    cwd: context.root,
    env: context.env,
  });
  context.log('npm dependencies installed (npm ci)');
}

// ---------------------------------------------------------------------------
// PostgreSQL
// ---------------------------------------------------------------------------

/**
 * @param {PrepareContext} context
 * @param {string} host
 * @param {number} port
 */
async function ensurePostgres(context, host, port) {
  if (await isPostgresListening(host, port)) {
    context.log(`PostgreSQL ok (${host}:${port})`);
    return;
  }
  if (!localHosts.has(host)) {
    throw new Error(
      `PostgreSQL does not answer at ${host}:${port}, and that is not this machine, so it cannot be installed or started here. ` +
        'Start it, or point HELPDESK_DATABASE_ADMIN_URL at a running server.',
    );
  }
  let installed = false;
  if (!findExecutable('pg_ctlcluster')) {
    await aptInstall(context, ['postgresql']);
    installed = true;
  }
  const cluster = await findOrCreateCluster(context);
  const started = await runCommand(
    privileged('pg_ctlcluster'),
    [
      ...privilegedArgs('pg_ctlcluster'),
      '--skip-systemctl-redirect',
      cluster.version,
      cluster.name,
      'start',
    ],
    { timeoutMs: 2 * minute, env: context.env, cwd: '/' },
  );
  // "already running" is fine: then it listens elsewhere, which the wait below reports.
  if (started.code !== 0 && !/already running/i.test(started.output)) {
    throw new Error(
      `PostgreSQL ${cluster.version}/${cluster.name} did not start (exit ${started.code}):\n${lastLines(started.output)}\n` +
        `Its log: /var/log/postgresql/postgresql-${cluster.version}-${cluster.name}.log`,
    );
  }
  await waitFor(async () => ((await isPostgresListening(host, port)) ? true : undefined), {
    timeoutMs: minute,
    what: `PostgreSQL ${cluster.version}/${cluster.name} to accept connections on ${host}:${port} (is the cluster configured for port ${port}?)`,
    intervalMs: 250,
  });
  context.log(
    `PostgreSQL ${installed ? 'installed and ' : ''}started (${cluster.version}/${cluster.name} on ${host}:${port})`,
  );
}

/**
 * The cluster to start: `main` of the newest installed server version, created
 * when the package did not create it.
 * @param {PrepareContext} context
 * @returns {Promise<{ version: string, name: string }>}
 */
async function findOrCreateCluster(context) {
  const versions = fs.existsSync('/usr/lib/postgresql')
    ? fs
        .readdirSync('/usr/lib/postgresql')
        .filter((version) => fs.existsSync(`/usr/lib/postgresql/${version}/bin/postgres`))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (versions.length === 0) {
    throw new Error(
      'PostgreSQL is installed but no server binary was found under /usr/lib/postgresql/<version>/bin.',
    );
  }
  const version = versions[0];
  if (!fs.existsSync(`/etc/postgresql/${version}/main/postgresql.conf`)) {
    await runCommandOrFail(
      privileged('pg_createcluster'),
      [...privilegedArgs('pg_createcluster'), version, 'main'],
      {
        timeoutMs: 2 * minute,
        env: context.env,
        cwd: '/',
      },
    );
    context.log(`PostgreSQL cluster ${version}/main created`);
  }
  return { version, name: 'main' };
}

/**
 * The role the apps and tests connect as. Checked by logging in as it; created
 * (or repaired) through the `postgres` superuser over the local socket, which
 * works with both peer and trust authentication.
 * @param {PrepareContext} context
 * @param {string} host
 * @param {number} port
 */
async function ensureHelpdeskRole(context, host, port) {
  const problem = await helpdeskRoleProblem(host, port);
  if (problem === undefined) {
    context.log('PostgreSQL role helpdesk ok');
    return;
  }
  if (!localHosts.has(host)) {
    throw new Error(
      `cannot log in to PostgreSQL at ${host}:${port} as helpdesk/helpdesk (${problem}). ` +
        `Create the role there: CREATE ROLE helpdesk LOGIN PASSWORD 'helpdesk' CREATEDB`,
    );
  }
  const sql = `DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'helpdesk') THEN
    CREATE ROLE helpdesk LOGIN PASSWORD 'helpdesk' CREATEDB;
    RAISE NOTICE 'created';
  ELSE
    ALTER ROLE helpdesk LOGIN PASSWORD 'helpdesk' CREATEDB;
    RAISE NOTICE 'repaired';
  END IF;
END $$;`;
  const [command, ...args] = asPostgresUser([
    'psql',
    '-X',
    '-v',
    'ON_ERROR_STOP=1',
    '-p',
    String(port),
    '-d',
    'postgres',
  ]);
  const result = await runCommand(command, args, {
    timeoutMs: minute,
    input: sql,
    env: context.env,
    cwd: '/',
  });
  if (result.code !== 0) {
    throw new Error(
      `the PostgreSQL role helpdesk cannot log in (${problem}) and could not be created as the postgres user:\n${lastLines(result.output)}\n` +
        `Create it yourself: CREATE ROLE helpdesk LOGIN PASSWORD 'helpdesk' CREATEDB`,
    );
  }
  const stillWrong = await helpdeskRoleProblem(host, port);
  if (stillWrong !== undefined) {
    throw new Error(
      `the PostgreSQL role helpdesk exists but still cannot log in over TCP (${stillWrong}); check pg_hba.conf allows password logins from ${host}.`,
    );
  }
  context.log(
    `PostgreSQL role helpdesk ${result.output.includes('repaired') ? 'repaired (LOGIN, CREATEDB, password)' : 'created'}`,
  );
}

/**
 * Why helpdesk/helpdesk cannot log in and create databases, or undefined.
 * @param {string} host
 * @param {number} port
 * @returns {Promise<string | undefined>}
 */
async function helpdeskRoleProblem(host, port) {
  const { Client } = require('pg');
  const client = new Client({
    host,
    port,
    user: 'helpdesk',
    password: 'helpdesk',
    database: 'postgres',
    connectionTimeoutMillis: 5_000,
  });
  try {
    await client.connect();
    const result = await client.query(
      'SELECT rolcreatedb OR rolsuper AS "mayCreate" FROM pg_roles WHERE rolname = current_user',
    );
    return result.rows[0]?.mayCreate ? undefined : 'the role may not create databases';
  } catch (error) {
    return errorMessage(error);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * A command run as the `postgres` OS user: runuser as root, sudo otherwise.
 * @param {string[]} commandLine
 */
function asPostgresUser(commandLine) {
  if (process.getuid?.() === 0) return ['runuser', '-u', 'postgres', '--', ...commandLine];
  return ['sudo', '-n', '-u', 'postgres', ...commandLine];
}

// ---------------------------------------------------------------------------
// RabbitMQ
// ---------------------------------------------------------------------------

/**
 * @param {PrepareContext} context
 * @param {string} host
 * @param {number} port
 */
async function ensureRabbitMq(context, host, port) {
  const isLocal = localHosts.has(host);
  if (await isAmqpListening(host, port)) {
    context.log(`RabbitMQ ok (${host}:${port})`);
  } else {
    if (!isLocal) {
      throw new Error(
        `RabbitMQ does not answer at ${host}:${port}, and that is not this machine, so it cannot be installed or started here. ` +
          'Start it, or point RABBITMQ_URL at a running broker.',
      );
    }
    let installed = false;
    if (!findExecutable('rabbitmq-server')) {
      await aptInstall(context, ['rabbitmq-server']);
      installed = true;
    }
    // The Debian wrapper switches to the rabbitmq user; -detached returns once
    // the node is forked. Its output goes to a file, not to a pipe we would wait on.
    const started = await runDaemonizing(
      privileged('rabbitmq-server'),
      [...privilegedArgs('rabbitmq-server'), '-detached'],
      {
        timeoutMs: 2 * minute,
        logFile: context.logFile,
        env: context.env,
        cwd: '/',
      },
    );
    if (started.code !== 0) {
      throw new Error(
        `rabbitmq-server -detached failed (exit ${started.code}); see ${context.logFile} and /var/log/rabbitmq/`,
      );
    }
    await waitFor(async () => ((await isAmqpListening(host, port)) ? true : undefined), {
      timeoutMs: 3 * minute,
      what: `RabbitMQ to accept connections on ${host}:${port} (its logs: /var/log/rabbitmq/)`,
      intervalMs: 500,
    });
    context.log(`RabbitMQ ${installed ? 'installed and ' : ''}started (${host}:${port})`);
  }
  await ensureRabbitMqManagement(context, host, isLocal);
}

/**
 * The management UI (http://localhost:15672). Enabling a plugin that is
 * already enabled is a no-op, but we only ask when the port is closed.
 * @param {PrepareContext} context
 * @param {string} host
 * @param {boolean} isLocal
 */
async function ensureRabbitMqManagement(context, host, isLocal) {
  const probeHost = isLocal ? '127.0.0.1' : host;
  if (await isRabbitMqManagementListening(probeHost, managementPort)) {
    context.log(
      `RabbitMQ management ok (http://${isLocal ? 'localhost' : host}:${managementPort})`,
    );
    return;
  }
  if (!isLocal || !findExecutable('rabbitmq-plugins')) {
    // A broker we do not run (a CI service container): the UI is a convenience
    // nothing depends on, so its absence is reported, not fatal.
    context.log(
      `RabbitMQ management not reachable on ${probeHost}:${managementPort} (broker is not local; skipped)`,
    );
    return;
  }
  await runCommandOrFail(
    privileged('rabbitmq-plugins'),
    [...privilegedArgs('rabbitmq-plugins'), 'enable', 'rabbitmq_management'],
    { timeoutMs: 3 * minute, env: context.env, cwd: '/' },
  );
  await waitFor(
    async () =>
      (await isRabbitMqManagementListening('127.0.0.1', managementPort)) ? true : undefined,
    {
      timeoutMs: 2 * minute,
      what: `the RabbitMQ management UI on port ${managementPort}`,
      intervalMs: 500,
    },
  );
  context.log(`RabbitMQ management enabled (http://localhost:${managementPort})`);
}

// ---------------------------------------------------------------------------
// nginx
// ---------------------------------------------------------------------------

/** @param {PrepareContext} context */
async function ensureNginx(context) {
  const binary = context.env.GATEWAY_NGINX_BIN || '/usr/sbin/nginx';
  if (findExecutable(binary)) {
    context.log(`nginx ok (${binary}; the system nginx is not used)`);
    return;
  }
  // nginx-light is the small build (bookworm); newer releases only ship `nginx`.
  const light = await runCommand('apt-cache', ['show', 'nginx-light'], {
    timeoutMs: minute,
    env: context.env,
  });
  const candidate =
    light.code === 0 && light.output.includes('Package: nginx-light') ? 'nginx-light' : 'nginx';
  await aptInstall(context, [candidate]);
  if (!findExecutable(binary)) {
    throw new Error(
      `installed ${candidate}, but ${binary} is still missing; set GATEWAY_NGINX_BIN to the nginx binary.`,
    );
  }
  context.log(`nginx installed (${candidate}: ${binary}; its system service is left stopped)`);
}

// ---------------------------------------------------------------------------
// apt
// ---------------------------------------------------------------------------

/**
 * Installs Debian packages. `apt-get update` runs once per prepare run, and
 * only when something is installed. While installing, a policy-rc.d denies
 * the packages' own service starts (the system nginx on port 80 in
 * particular): we start what we need ourselves.
 * @param {PrepareContext} context
 * @param {string[]} packages
 */
async function aptInstall(context, packages) {
  if (!findExecutable('apt-get')) {
    throw new Error(
      `${packages.join(', ')} is missing and there is no apt-get to install it; install it yourself.`,
    );
  }
  if (process.getuid?.() !== 0 && !findExecutable('sudo')) {
    throw new Error(
      `${packages.join(', ')} is missing; installing it needs root (run as root, or install it yourself).`,
    );
  }
  const env = { ...context.env, DEBIAN_FRONTEND: 'noninteractive' };
  context.log(`installing ${packages.join(', ')} from Debian's packages ...`);
  if (!context.aptUpdated) {
    await runCommandOrFail(privileged('apt-get'), [...privilegedArgs('apt-get'), 'update'], {
      timeoutMs: 10 * minute,
      env,
    });
    context.aptUpdated = true;
  }
  const policyFile = '/usr/sbin/policy-rc.d';
  const ownPolicy = process.getuid?.() === 0 && !fs.existsSync(policyFile);
  if (ownPolicy)
    fs.writeFileSync(
      policyFile,
      '#!/bin/sh\n# written by tools/platform/prepare.js during apt-get install\nexit 101\n',
      { mode: 0o755 },
    );
  try {
    await runCommandOrFail(
      privileged('apt-get'),
      [...privilegedArgs('apt-get'), 'install', '-y', '--no-install-recommends', ...packages],
      { timeoutMs: 20 * minute, env },
    );
  } finally {
    if (ownPolicy) fs.rmSync(policyFile, { force: true });
  }
}

/**
 * Root runs the command directly; anyone else through `sudo -n` (never
 * prompting: a prompt would hang an unattended run).
 * @param {string} command
 */
function privileged(command) {
  return process.getuid?.() === 0 ? command : 'sudo';
}

/** @param {string} command */
function privilegedArgs(command) {
  return process.getuid?.() === 0 ? [] : ['-n', command];
}

module.exports = { prepare, firstLockMismatch };

if (require.main === module) {
  prepare().catch((error) => {
    console.error(`prepare: FAILED: ${errorMessage(error)}`);
    process.exitCode = 1;
  });
}
