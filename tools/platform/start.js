#!/usr/bin/env node
// @ts-check
/**
 * `npm start`: the whole system on this machine, with one command.
 *
 *  1. prepare the machine (npm deps, PostgreSQL, the helpdesk role, RabbitMQ,
 *     nginx) — see prepare.js;
 *  2. discover the apps: every apps/<dir>/project.json tagged `type:app`, each
 *     of which must be in the service registry (gateway/services.json);
 *  3. create each app's database when missing;
 *  4. build each app for production (one webpack bundle; skipped when its
 *     inputs did not change);
 *  5. run each app's migrations: `node dist/apps/<app>/main.js migrate`;
 *  6. hand the supervisor (supervisor.js) its manifest — every app and MailDev
 *     — starting it, or making the running one reconcile;
 *  7. start (or reload) the NGINX gateway through gateway/gateway.js;
 *  8. wait until every health check passes;
 *  9. seed demo data: `node dist/apps/<app>/main.js seed` for each app whose
 *     registry entry says `"seed": true` (idempotent), and print where to go,
 *     with what the seeds printed (the demo logins).
 *
 * Running it again is safe: what runs keeps running, what changed is
 * restarted, what is missing is started. `npm stop` stops it all.
 */
const fs = require('node:fs');
const path = require('node:path');
const { prepare } = require('./prepare');
const { resolvePlatformConfig } = require('./lib/config');
const { discoverApps, databaseUrlFor } = require('./lib/apps');
const { ensureDatabases, databaseNameOf } = require('./lib/databases');
const { buildApps, runToLog } = require('./lib/build-apps');
const {
  applyManifest,
  runningSupervisorPid,
  currentManifestProcesses,
  ownedChildren,
  readState,
} = require('./lib/supervision');
const { isAlive, readPidFile } = require('./lib/processes');
const { waitFor, httpStatus, isPortOpen, tailFile, errorMessage } = require('./lib/wait');
const { lastLines } = require('./lib/commands');
const { runSeed } = require('./lib/seed');

// gateway/gateway.js is a plain CommonJS script without an import alias: required by path.
const gateway = require('../../gateway/gateway.js');

/**
 * @typedef {import('./lib/config').PlatformConfig} PlatformConfig
 * @typedef {import('./lib/apps').AppDefinition} AppDefinition
 * @typedef {import('./supervisor').ProcessSpec} ProcessSpec
 */

/**
 * @typedef {object} HealthCheck
 * @property {string} name what is checked, for messages
 * @property {() => Promise<boolean>} probe
 * @property {string} [logFile] whose tail explains a failure
 */

/**
 * @param {{ env?: NodeJS.ProcessEnv, log?: (line: string) => void }} [options]
 */
async function start({ env = process.env, log = (line) => console.log(line) } = {}) {
  const config = resolvePlatformConfig(env);
  const say = (/** @type {string} */ line) => log(`start: ${line}`);
  fs.mkdirSync(config.logsDir, { recursive: true });
  fs.mkdirSync(config.pidsDir, { recursive: true });
  const releaseLock = acquireStartLock(config.runDir);
  try {
    await prepare({ env, log });

    const services = gateway.loadServices(config.servicesFile);
    const apps = discoverApps({
      appsDir: config.appsDir,
      services,
      portOffset: config.portOffset,
      servicesFile: path.relative(config.repositoryRoot, config.servicesFile),
    });
    say(
      apps.length > 0
        ? `apps: ${apps.map((app) => `${app.name} (:${app.port})`).join(', ')}`
        : `apps: none yet (no ${path.relative(config.repositoryRoot, config.appsDir)}/*/project.json tagged type:app)`,
    );

    const paths = { runDir: config.runDir, pidsDir: config.pidsDir, logsDir: config.logsDir };
    const supervisorPid = runningSupervisorPid(paths);
    const gatewayPid = gateway.runningGatewayPid(config.gatewayRunDir);
    // Ports held by our own processes are not conflicts: the supervisor keeps
    // or replaces them (orphans of a dead supervisor included).
    await checkPortsAreFree(config, apps, {
      running: [
        ...(supervisorPid === undefined
          ? []
          : currentManifestProcesses(paths).map((spec) => spec.name)),
        ...ownedChildren(paths).keys(),
      ],
      gatewayRunning: gatewayPid !== undefined,
    });

    const databaseUrls = new Map(
      apps.map((app) => [app.name, databaseUrlFor(app, config.databaseAdminUrl, env)]),
    );
    const databases = await ensureDatabases(
      config.databaseAdminUrl,
      apps.map((app) => databaseNameOf(/** @type {string} */ (databaseUrls.get(app.name)))),
    );
    if (apps.length > 0) {
      say(
        `databases ok${databases.created.length ? `; created ${databases.created.join(', ')}` : ''}` +
          `${databases.existing.length ? `; existing ${databases.existing.join(', ')}` : ''}`,
      );
    }

    const builds = await buildApps(apps, {
      repositoryRoot: config.repositoryRoot,
      distDir: config.distDir,
      logsDir: config.logsDir,
      log: say,
    });

    /** @type {Map<string, Record<string, string>>} */
    const appEnvironments = new Map(
      apps.map((app) => [
        app.name,
        appEnvironment(app, config, /** @type {string} */ (databaseUrls.get(app.name)), env),
      ]),
    );
    for (const app of apps) {
      const build = /** @type {{ outputPath: string }} */ (builds.get(app.name));
      await runMigrations(
        app,
        build.outputPath,
        /** @type {Record<string, string>} */ (appEnvironments.get(app.name)),
        config,
      );
      say(`${app.name}: migrations applied`);
    }

    const processes = [
      maildevProcess(config),
      ...apps.map((app) => {
        const build = /** @type {{ outputPath: string, fingerprint: string }} */ (
          builds.get(app.name)
        );
        return appProcess(
          app,
          build,
          /** @type {Record<string, string>} */ (appEnvironments.get(app.name)),
          config,
        );
      }),
    ];
    const supervisor = await applyManifest(paths, { processes }, { log: say });
    if (supervisor.action === 'started') {
      say(
        `supervisor started (pid ${supervisor.pid}), running ${processes.map((spec) => spec.name).join(', ')}`,
      );
    } else {
      const { added, changed, removed, unchanged } = supervisor.changes;
      const parts = [
        unchanged.length ? `kept ${unchanged.join(', ')}` : '',
        changed.length ? `restarted ${changed.join(', ')} (new build or settings)` : '',
        added.length ? `started ${added.join(', ')}` : '',
        removed.length ? `stopped ${removed.join(', ')}` : '',
      ].filter(Boolean);
      say(`already running (supervisor pid ${supervisor.pid}): ${parts.join('; ')}`);
    }

    const portOverrides = Object.fromEntries(
      services.map((service) => [service.name, service.port + config.portOffset]),
    );
    const startedGatewayPid = await gateway.startGateway({
      runDir: config.gatewayRunDir,
      listenPort: config.gatewayPort,
      services,
      portOverrides,
      startTimeoutMs: 30_000,
    });
    linkGatewayLogs(config);
    say(
      gatewayPid === undefined
        ? `gateway started (nginx pid ${startedGatewayPid}, port ${config.gatewayPort})`
        : `gateway already running (nginx pid ${startedGatewayPid}); configuration reloaded`,
    );

    await waitUntilHealthy(healthChecks(config, apps), config, say);

    /** @type {Array<{ app: string, output: string }>} */
    const seeded = [];
    for (const app of apps.filter((candidate) => candidate.seed)) {
      const build = /** @type {{ outputPath: string }} */ (builds.get(app.name));
      const output = await runSeed(app.name, {
        outputPath: build.outputPath,
        cwd: config.repositoryRoot,
        env: { ...process.env, ...appEnvironments.get(app.name) },
        logsDir: config.logsDir,
      });
      say(`${app.name}: demo data seeded`);
      seeded.push({ app: app.name, output });
    }
    printWhereToGo(config, apps, log, seeded);
  } finally {
    releaseLock();
  }
}

/**
 * All logs in one place: nginx writes into the gateway's run directory, so
 * <runDir>/logs/gateway points there.
 * @param {PlatformConfig} config
 */
function linkGatewayLogs(config) {
  const link = path.join(config.logsDir, 'gateway');
  const target = path.relative(config.logsDir, path.join(config.gatewayRunDir, 'logs'));
  let current;
  try {
    current = fs.readlinkSync(link);
  } catch {
    current = undefined;
  }
  if (current === target) return;
  fs.rmSync(link, { force: true });
  fs.symlinkSync(target, link);
}

/**
 * Only one `npm start` per run directory at a time.
 * @param {string} runDir
 * @returns {() => void} releases the lock
 */
function acquireStartLock(runDir) {
  const lockFile = path.join(runDir, 'start.lock');
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      fs.writeFileSync(lockFile, `${process.pid}\n`, { flag: 'wx' });
      return () => {
        if (readPidFile(lockFile) === process.pid) fs.rmSync(lockFile, { force: true });
      };
    } catch (error) {
      if (/** @type {NodeJS.ErrnoException} */ (error).code !== 'EEXIST') throw error;
      const holder = readPidFile(lockFile);
      if (holder !== undefined && holder !== process.pid && isAlive(holder)) {
        throw new Error(
          `another npm start (pid ${holder}) is running for ${runDir}; wait for it to finish.`,
        );
      }
      fs.rmSync(lockFile, { force: true }); // left by a start that died
    }
  }
  throw new Error(`cannot take the start lock ${lockFile}`);
}

/**
 * Ports of processes we are about to start must be free; a port held by
 * another program would otherwise surface as a crash loop in a log.
 * @param {PlatformConfig} config
 * @param {AppDefinition[]} apps
 * @param {{ running: string[], gatewayRunning: boolean }} ours what already runs from this run directory
 */
async function checkPortsAreFree(config, apps, { running, gatewayRunning }) {
  /** @type {Array<{ port: number, what: string, setting: string }>} */
  const wanted = [];
  if (!running.includes('maildev')) {
    wanted.push({
      port: config.maildevSmtpPort,
      what: 'MailDev SMTP',
      setting: 'MAILDEV_SMTP_PORT',
    });
    wanted.push({
      port: config.maildevWebPort,
      what: 'MailDev web inbox',
      setting: 'MAILDEV_WEB_PORT',
    });
  }
  if (!gatewayRunning)
    wanted.push({ port: config.gatewayPort, what: 'the gateway', setting: 'GATEWAY_PORT' });
  for (const app of apps) {
    if (!running.includes(app.name))
      wanted.push({ port: app.port, what: app.name, setting: 'HELPDESK_PORT_OFFSET' });
  }
  const taken = [];
  for (const { port, what, setting } of wanted) {
    if (await isPortOpen(port))
      taken.push(
        `port ${port} (${what}) is already in use by another program (stop it, or set ${setting})`,
      );
  }
  if (taken.length > 0) throw new Error(taken.join('\n'));
}

/**
 * @param {AppDefinition} app
 * @param {PlatformConfig} config
 * @param {string} databaseUrl
 * @param {NodeJS.ProcessEnv} env
 * @returns {Record<string, string>}
 */
function appEnvironment(app, config, databaseUrl, env) {
  return {
    NODE_ENV: 'production',
    // Services sign /internal calls with it; production refuses to boot without one.
    SERVICE_TOKEN_SECRET: env.SERVICE_TOKEN_SECRET || localServiceTokenSecret(config.runDir),
    // Where the identity lives, on this run's ports: token keys, and the directory
    // snapshot a late-starting replica fills itself from (libs/user-directory).
    AUTH_JWKS_URL: env.AUTH_JWKS_URL || `${userServiceUrl(config)}/.well-known/jwks.json`,
    USER_DIRECTORY_SNAPSHOT_URL:
      env.USER_DIRECTORY_SNAPSHOT_URL || `${userServiceUrl(config)}/internal/directory`,
    PORT: String(app.port),
    // Processes sharing the port (node:cluster); the registry's `workers`.
    HTTP_WORKERS: String(app.workers),
    [app.databaseUrlVariable]: databaseUrl,
    RABBITMQ_URL: config.rabbitmqUrl,
    SMTP_URL: env.SMTP_URL || `smtp://127.0.0.1:${config.maildevSmtpPort}`,
    WEB_URL: config.webUrl,
    LOG_LEVEL: env.LOG_LEVEL || 'info',
  };
}

/**
 * user-service's local address from the registry (with this run's port offset).
 * @param {PlatformConfig} config
 */
function userServiceUrl(config) {
  const userService = gateway
    .loadServices(config.servicesFile)
    .find((service) => service.name === 'user-service');
  return `http://127.0.0.1:${(userService?.port ?? 3001) + config.portOffset}`;
}

/**
 * One random secret per machine, kept in the run directory (mode 600) so that
 * every app, and every restart, shares it: a second `npm start` must not
 * invalidate the service tokens the running apps hold.
 * @param {string} runDir
 */
function localServiceTokenSecret(runDir) {
  const file = path.join(runDir, 'service-token-secret');
  if (!fs.existsSync(file)) {
    fs.mkdirSync(runDir, { recursive: true });
    fs.writeFileSync(file, require('node:crypto').randomBytes(32).toString('base64url'), {
      mode: 0o600,
      flag: 'wx',
    });
  }
  return fs.readFileSync(file, 'utf8').trim();
}

/**
 * `node main.js migrate`: the convention every app's entry point follows.
 * @param {AppDefinition} app
 * @param {string} outputPath
 * @param {Record<string, string>} appEnv
 * @param {PlatformConfig} config
 */
async function runMigrations(app, outputPath, appEnv, config) {
  const logFile = path.join(config.logsDir, `${app.name}.migrate.log`);
  const code = await runToLog(
    process.execPath,
    ['--enable-source-maps', path.join(outputPath, 'main.js'), 'migrate'],
    {
      cwd: config.repositoryRoot,
      logFile,
      timeoutMs: 5 * 60_000,
      env: { ...process.env, ...appEnv },
    },
  );
  if (code !== 0) {
    throw new Error(
      `${app.name}: migrations failed (exit ${code}); ${logFile}:\n${lastLines(tailFile(logFile))}`,
    );
  }
}

/**
 * @param {PlatformConfig} config
 * @returns {ProcessSpec}
 */
function maildevProcess(config) {
  const packageDir = path.join(config.repositoryRoot, 'node_modules', 'maildev');
  const manifest = JSON.parse(fs.readFileSync(path.join(packageDir, 'package.json'), 'utf8'));
  const bin = typeof manifest.bin === 'string' ? manifest.bin : manifest.bin.maildev;
  const mailDirectory = path.join(config.runDir, 'maildev');
  fs.mkdirSync(mailDirectory, { recursive: true });
  return {
    name: 'maildev',
    command: process.execPath,
    args: [
      path.join(packageDir, bin),
      '--smtp',
      String(config.maildevSmtpPort),
      '--ip',
      '127.0.0.1',
      '--web',
      String(config.maildevWebPort),
      '--mail-directory',
      mailDirectory,
    ],
    cwd: config.runDir,
    env: {},
    revision: `maildev@${manifest.version}`,
  };
}

/**
 * @param {AppDefinition} app
 * @param {{ outputPath: string, fingerprint: string }} build
 * @param {Record<string, string>} appEnv
 * @param {PlatformConfig} config
 * @returns {ProcessSpec}
 */
function appProcess(app, build, appEnv, config) {
  return {
    name: app.name,
    command: process.execPath,
    args: ['--enable-source-maps', path.join(build.outputPath, 'main.js')],
    cwd: config.repositoryRoot,
    env: appEnv,
    revision: build.fingerprint,
  };
}

/**
 * @param {PlatformConfig} config
 * @param {AppDefinition[]} apps
 * @returns {HealthCheck[]}
 */
function healthChecks(config, apps) {
  const ok = (/** @type {number | undefined} */ status) => status === 200;
  return [
    ...apps.map((app) => ({
      name: `${app.name} GET http://127.0.0.1:${app.port}/health`,
      probe: async () => ok(await httpStatus(`http://127.0.0.1:${app.port}/health`)),
      logFile: path.join(config.logsDir, `${app.name}.log`),
    })),
    {
      name: `MailDev web inbox http://127.0.0.1:${config.maildevWebPort}/api/healthz`,
      probe: async () =>
        ok(await httpStatus(`http://127.0.0.1:${config.maildevWebPort}/api/healthz`)),
      logFile: path.join(config.logsDir, 'maildev.log'),
    },
    {
      name: `MailDev SMTP 127.0.0.1:${config.maildevSmtpPort}`,
      probe: () => isPortOpen(config.maildevSmtpPort),
      logFile: path.join(config.logsDir, 'maildev.log'),
    },
    {
      name: `gateway GET http://127.0.0.1:${config.gatewayPort}/health`,
      probe: async () => ok(await httpStatus(`http://127.0.0.1:${config.gatewayPort}/health`)),
      logFile: path.join(config.gatewayRunDir, 'logs', 'gateway.error.log'),
    },
  ];
}

/**
 * Waits for every check until the start deadline; on failure names each
 * failing check with the tail of its log.
 * @param {HealthCheck[]} checks
 * @param {PlatformConfig} config
 * @param {(line: string) => void} say
 */
async function waitUntilHealthy(checks, config, say) {
  say(
    `waiting for ${checks.length} health checks (up to ${Math.round(config.startTimeoutMs / 1000)} s) ...`,
  );
  const results = await Promise.allSettled(
    checks.map((check) =>
      waitFor(async () => ((await check.probe()) ? true : undefined), {
        timeoutMs: config.startTimeoutMs,
        what: check.name,
        intervalMs: 250,
      }),
    ),
  );
  const failed = checks.filter((_check, index) => results[index].status === 'rejected');
  if (failed.length === 0) {
    say('every health check passes');
    return;
  }
  const state = readState({
    runDir: config.runDir,
    pidsDir: config.pidsDir,
    logsDir: config.logsDir,
  });
  const details = failed.map((check) => {
    const processName = check.name.split(' ')[0];
    const starts = state?.processes?.[processName]?.starts;
    return (
      `- ${check.name} did not pass within ${Math.round(config.startTimeoutMs / 1000)} s` +
      `${starts && starts > 1 ? ` (started ${starts} times: it keeps crashing)` : ''}` +
      `${check.logFile ? `\n  last lines of ${check.logFile}:\n${indent(tailFile(check.logFile, 30))}` : ''}`
    );
  });
  throw new Error(
    `not everything became healthy:\n${details.join('\n')}\n` +
      `What did start keeps running (the supervisor keeps restarting crashed apps); \`npm stop\` stops it.`,
  );
}

/** @param {string} text */
function indent(text) {
  return text
    .split('\n')
    .map((line) => `    ${line}`)
    .join('\n');
}

/**
 * @param {PlatformConfig} config
 * @param {AppDefinition[]} apps
 * @param {(line: string) => void} log
 * @param {Array<{ app: string, output: string }>} [seeded] what each seed printed
 */
function printWhereToGo(config, apps, log, seeded = []) {
  const rows = [
    [
      'gateway (public API)',
      `http://localhost:${config.gatewayPort}/api/v1/...   (health: /health)`,
    ],
    ...apps.map((app) => [app.name, `http://localhost:${app.port}/docs   (health: /health)`]),
    [
      'mail inbox (MailDev)',
      `http://localhost:${config.maildevWebPort}   (SMTP: localhost:${config.maildevSmtpPort})`,
    ],
    ['RabbitMQ management', 'http://localhost:15672   (guest / guest)'],
    ['logs', `${config.logsDir}   (one file per process; gateway/ for nginx)`],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  log('');
  log('Helpdesk is running:');
  for (const [label, value] of rows) log(`  ${label.padEnd(width)}  ${value}`);
  for (const { app, output } of seeded) {
    if (!output.trim()) continue;
    log('');
    log(`Demo data (${app}, through the gateway at http://localhost:${config.gatewayPort}):`);
    for (const line of output.split('\n')) log(`  ${line}`);
  }
  log('');
  log(
    'Stop it with `npm stop` (PostgreSQL and RabbitMQ are shared system services and keep running).',
  );
}

module.exports = { start, appEnvironment };

if (require.main === module) {
  start().catch((error) => {
    console.error(`start: FAILED: ${errorMessage(error)}`);
    process.exitCode = 1;
  });
}
