#!/usr/bin/env node
// @ts-check
/**
 * The NGINX gateway: renders nginx.conf from the service registry
 * (gateway/services.json) and runs our own nginx instance in a run directory
 * (`nginx -p <runDir> -c <runDir>/nginx.conf`) — never the system one, never
 * /etc/nginx.
 *
 * Used by the platform's start/stop scripts (tools/platform), by the gateway's
 * tests, and from the command line:
 *
 *   node gateway/gateway.js render|start|stop|reload|status [--run-dir DIR] [--port N]
 */
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const http = require('node:http');
const path = require('node:path');

const repositoryRoot = path.resolve(__dirname, '..');
const defaultServicesFile = path.join(__dirname, 'services.json');
const templateFile = path.join(__dirname, 'nginx.conf.template');

/**
 * @typedef {object} RouteDefinition
 * @property {string} path public path prefix, e.g. `/api/v1/users` (no trailing slash)
 * @property {boolean} exact true: only this exact path is routed, not what lies below it
 * @property {'api' | 'auth'} limit rate-limit zone; `auth` is the strict one
 */

/**
 * @typedef {object} ServiceDefinition
 * @property {string} name e.g. `user-service`
 * @property {number} port the app's local port
 * @property {string} database the app's PostgreSQL database
 * @property {RouteDefinition[]} routes public paths the gateway sends to it
 * @property {boolean} [seed] true: `npm start` runs `node main.js seed` once the app is healthy (demo data; the gateway ignores it)
 * @property {number} [workers] processes `npm start` runs the app in (HTTP_WORKERS; default 1; the gateway ignores it)
 */

/**
 * A service as written in services.json: `exact` and `limit` may be left out.
 * @typedef {Omit<ServiceDefinition, 'routes'> & { routes: Array<{ path: string, exact?: boolean, limit?: 'api' | 'auth' }> }} ServiceInput
 */

/**
 * Everything renderGatewayConfig and startGateway accept. Unset options come
 * from the environment (see resolveGatewayOptions), then from the defaults.
 * @typedef {object} GatewayOptions
 * @property {number} [listenPort] default 8080 (GATEWAY_PORT)
 * @property {string} [listenAddress] default 0.0.0.0 (GATEWAY_LISTEN_ADDRESS)
 * @property {string} [runDir] pid, config, logs, temp files; default <repo>/.run/gateway (GATEWAY_RUN_DIR)
 * @property {ServiceInput[]} [services] default: loadServices(); validated like the registry file
 * @property {string} [upstreamHost] where the apps listen; default 127.0.0.1 (GATEWAY_UPSTREAM_HOST)
 * @property {Record<string, number>} [portOverrides] service name → port, instead of the registry's port
 * @property {number} [upstreamKeepalive] idle keepalive connections per app and worker; default 64
 * @property {string} [apiRate] general zone, nginx rate syntax; default 50r/s (GATEWAY_API_RATE)
 * @property {number} [apiBurst] default 100 (GATEWAY_API_BURST)
 * @property {string} [authRate] strict zone for `limit: auth` routes; default 30r/m (GATEWAY_AUTH_RATE)
 * @property {number} [authBurst] default 20 (GATEWAY_AUTH_BURST)
 * @property {number} [connectionsPerIp] requests in flight per client address; default 200 (GATEWAY_CONNECTIONS_PER_IP)
 * @property {string} [clientMaxBodySize] nginx size syntax; default 1m (GATEWAY_CLIENT_MAX_BODY_SIZE)
 * @property {string | number} [proxyConnectTimeout] nginx time syntax or seconds; default 5s (GATEWAY_PROXY_CONNECT_TIMEOUT)
 * @property {string | number} [proxyReadTimeout] default 30s (GATEWAY_PROXY_READ_TIMEOUT)
 * @property {string | number} [proxySendTimeout] default 30s (GATEWAY_PROXY_SEND_TIMEOUT)
 */

/**
 * @typedef {object} StartOptions
 * @property {string} [nginxBinary] default /usr/sbin/nginx (GATEWAY_NGINX_BIN)
 * @property {number} [startTimeoutMs] how long to wait for `GET /health`; default 15000
 */

/**
 * GatewayOptions with every value decided and checked.
 * @typedef {object} ResolvedGatewayOptions
 * @property {number} listenPort
 * @property {string} listenAddress
 * @property {string} runDir absolute
 * @property {ServiceDefinition[]} services
 * @property {string} upstreamHost
 * @property {Record<string, number>} portOverrides
 * @property {number} upstreamKeepalive
 * @property {string} apiRate
 * @property {number} apiBurst
 * @property {string} authRate
 * @property {number} authBurst
 * @property {number} connectionsPerIp
 * @property {string} clientMaxBodySize
 * @property {string} proxyConnectTimeout
 * @property {string} proxyReadTimeout
 * @property {string} proxySendTimeout
 */

// ---------------------------------------------------------------------------
// The service registry
// ---------------------------------------------------------------------------

const serviceNamePattern = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
const databaseNamePattern = /^[a-z_][a-z0-9_]*$/;
const routePathPattern = /^(\/[A-Za-z0-9._~-]+)+$/;
/** Paths the gateway answers itself or that must never be public. */
const reservedPaths = [
  '/health',
  '/metrics',
  '/docs',
  '/openapi.json',
  '/internal',
  '/api/v1/internal',
];
const routeKeys = new Set(['path', 'exact', 'limit']);

/**
 * Reads and validates the service registry.
 * @param {string} [file] default gateway/services.json
 * @returns {ServiceDefinition[]}
 */
function loadServices(file = defaultServicesFile) {
  /** @type {unknown} */
  let registry;
  try {
    registry = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`${file}: cannot read the service registry: ${errorMessage(error)}`);
  }
  return validateServices(registry, file);
}

/**
 * Validates a parsed registry (`{ services: [...] }`) and returns its services
 * with defaults filled in (`exact: false`, `limit: 'api'`). Routes are checked
 * strictly (a misspelt `exact` would silently publish a whole prefix); a
 * service's optional `seed` must be a boolean (npm start's demo data) and its
 * optional `workers` an integer from 1 to 16 (npm start's HTTP_WORKERS); a
 * service may carry extra fields for other tools.
 * @param {unknown} registry
 * @param {string} [source] named in error messages
 * @returns {ServiceDefinition[]}
 */
function validateServices(registry, source = 'service registry') {
  /** @param {string} message */
  const fail = (message) => {
    throw new Error(`${source}: ${message}`);
  };
  if (!isPlainObject(registry) || !Array.isArray(registry.services)) {
    return fail('expected an object with a "services" array');
  }
  /** @type {Map<string, string>} */
  const pathOwners = new Map();
  /** @type {Map<number, string>} */
  const portOwners = new Map();
  /** @type {Set<string>} */
  const names = new Set();

  return registry.services.map((entry, index) => {
    const where = `services[${index}]`;
    if (!isPlainObject(entry)) return fail(`${where} must be an object`);
    const label = typeof entry.name === 'string' ? `${where} ("${entry.name}")` : where;

    const { name, port, database, routes } = entry;
    if (typeof name !== 'string' || !serviceNamePattern.test(name)) {
      fail(`${label}: "name" must be a kebab-case string like "ticket-service"`);
    }
    const serviceName = /** @type {string} */ (name);
    if (names.has(serviceName)) fail(`${label}: the service name "${serviceName}" is used twice`);
    names.add(serviceName);

    if (!isPort(port))
      fail(
        `${label}: "port" is ${port === undefined ? 'missing' : 'invalid'}; it must be an integer between 1 and 65535`,
      );
    const servicePort = /** @type {number} */ (port);
    const portOwner = portOwners.get(servicePort);
    if (portOwner) fail(`${label}: port ${servicePort} is already used by ${portOwner}`);
    portOwners.set(servicePort, serviceName);

    if (typeof database !== 'string' || !databaseNamePattern.test(database)) {
      fail(
        `${label}: "database" is ${database === undefined ? 'missing' : 'invalid'}; it must be a PostgreSQL name like "helpdesk_ticket"`,
      );
    }
    if (!Array.isArray(routes)) fail(`${label}: "routes" must be an array (it may be empty)`);
    if (entry.seed !== undefined && typeof entry.seed !== 'boolean') {
      fail(`${label}: "seed" must be true or false (true: npm start runs \`node main.js seed\`)`);
    }
    const { workers } = entry;
    if (
      workers !== undefined &&
      !(typeof workers === 'number' && Number.isInteger(workers) && workers >= 1 && workers <= 16)
    ) {
      fail(
        `${label}: "workers" must be an integer from 1 to 16 (processes sharing the app's port)`,
      );
    }

    const validatedRoutes = /** @type {unknown[]} */ (routes).map((route, routeIndex) => {
      const routeWhere = `${label}.routes[${routeIndex}]`;
      if (!isPlainObject(route)) return fail(`${routeWhere} must be an object`);
      for (const key of Object.keys(route)) {
        if (!routeKeys.has(key))
          fail(
            `${routeWhere} has an unknown field "${key}" (allowed: ${[...routeKeys].join(', ')})`,
          );
      }
      const routePath = route.path;
      if (
        typeof routePath !== 'string' ||
        !routePathPattern.test(routePath) ||
        /\/\.\.?(\/|$)/.test(routePath)
      ) {
        return fail(
          `${routeWhere}: "path" must look like "/api/v1/things": a leading slash, no trailing slash, letters, digits and . _ ~ - only`,
        );
      }
      const reserved = reservedPaths.find((r) => routePath === r || routePath.startsWith(`${r}/`));
      if (reserved)
        fail(
          `${routeWhere}: "${routePath}" is under "${reserved}", which the gateway never routes`,
        );
      if (route.exact !== undefined && typeof route.exact !== 'boolean')
        fail(`${routeWhere}: "exact" must be true or false`);
      if (route.limit !== undefined && route.limit !== 'api' && route.limit !== 'auth') {
        fail(`${routeWhere}: "limit" must be "auth" (strict zone) or "api" (the default)`);
      }
      const owner = pathOwners.get(routePath);
      if (owner) fail(`${routeWhere}: the path "${routePath}" is already routed to ${owner}`);
      pathOwners.set(routePath, serviceName);
      return {
        path: routePath,
        exact: route.exact === true,
        limit: /** @type {'api' | 'auth'} */ (route.limit === 'auth' ? 'auth' : 'api'),
      };
    });

    // Fields other tools keep on a service (the gateway ignores them) stay.
    return {
      ...entry,
      name: serviceName,
      port: servicePort,
      database: /** @type {string} */ (database),
      routes: validatedRoutes,
    };
  });
}

// ---------------------------------------------------------------------------
// Options
// ---------------------------------------------------------------------------

/**
 * Decides every option: explicit option, else environment variable, else
 * default; and rejects values nginx would choke on (or that could inject
 * directives into the config).
 * @param {GatewayOptions} [options]
 * @param {NodeJS.ProcessEnv} [env]
 * @returns {ResolvedGatewayOptions}
 */
function resolveGatewayOptions(options = {}, env = process.env) {
  const services = options.services
    ? validateServices({ services: options.services }, 'options.services')
    : loadServices();
  const portOverrides = { ...(options.portOverrides ?? {}) };
  for (const [name, port] of Object.entries(portOverrides)) {
    if (!services.some((service) => service.name === name)) {
      throw new Error(`portOverrides: no service named "${name}" in the registry`);
    }
    if (!isPort(port))
      throw new Error(`portOverrides: port of ${name} must be an integer between 1 and 65535`);
  }
  const runDir = path.resolve(
    options.runDir ?? env.GATEWAY_RUN_DIR ?? path.join(repositoryRoot, '.run', 'gateway'),
  );
  // The run directory is written into quoted nginx strings.
  if (/["\\$]/.test(runDir) || [...runDir].some((char) => char.charCodeAt(0) < 0x20))
    throw new Error(
      `runDir must not contain quotes, backslashes, "$" or control characters: ${runDir}`,
    );

  const listenPort = options.listenPort ?? integerFromEnv(env, 'GATEWAY_PORT') ?? 8080;
  if (!isPort(listenPort))
    throw new Error(`listenPort must be an integer between 1 and 65535, got ${listenPort}`);

  return {
    listenPort,
    listenAddress: checkHost(
      'listenAddress',
      options.listenAddress ?? env.GATEWAY_LISTEN_ADDRESS ?? '0.0.0.0',
    ),
    runDir,
    services,
    upstreamHost: checkHost(
      'upstreamHost',
      options.upstreamHost ?? env.GATEWAY_UPSTREAM_HOST ?? '127.0.0.1',
    ),
    portOverrides,
    upstreamKeepalive: checkCount('upstreamKeepalive', options.upstreamKeepalive ?? 64, 1),
    apiRate: checkRate('apiRate', options.apiRate ?? env.GATEWAY_API_RATE ?? '50r/s'),
    apiBurst: checkCount(
      'apiBurst',
      options.apiBurst ?? integerFromEnv(env, 'GATEWAY_API_BURST') ?? 100,
      0,
    ),
    authRate: checkRate('authRate', options.authRate ?? env.GATEWAY_AUTH_RATE ?? '30r/m'),
    authBurst: checkCount(
      'authBurst',
      options.authBurst ?? integerFromEnv(env, 'GATEWAY_AUTH_BURST') ?? 20,
      0,
    ),
    connectionsPerIp: checkCount(
      'connectionsPerIp',
      options.connectionsPerIp ?? integerFromEnv(env, 'GATEWAY_CONNECTIONS_PER_IP') ?? 200,
      1,
    ),
    clientMaxBodySize: checkSize(
      'clientMaxBodySize',
      options.clientMaxBodySize ?? env.GATEWAY_CLIENT_MAX_BODY_SIZE ?? '1m',
    ),
    proxyConnectTimeout: checkDuration(
      'proxyConnectTimeout',
      options.proxyConnectTimeout ?? env.GATEWAY_PROXY_CONNECT_TIMEOUT ?? '5s',
    ),
    proxyReadTimeout: checkDuration(
      'proxyReadTimeout',
      options.proxyReadTimeout ?? env.GATEWAY_PROXY_READ_TIMEOUT ?? '30s',
    ),
    proxySendTimeout: checkDuration(
      'proxySendTimeout',
      options.proxySendTimeout ?? env.GATEWAY_PROXY_SEND_TIMEOUT ?? '30s',
    ),
  };
}

// ---------------------------------------------------------------------------
// Rendering
// ---------------------------------------------------------------------------

/**
 * Errors nginx itself produces, answered as problem+json. Errors the apps
 * produce are never replaced (proxy_intercept_errors is off).
 */
const gatewayErrors = [
  {
    status: 400,
    location: '@bad_request',
    title: 'Bad Request',
    detail: 'The gateway could not read the request.',
  },
  {
    status: 408,
    location: '@request_timeout',
    title: 'Request Timeout',
    detail: 'The request was not received in time.',
  },
  {
    status: 413,
    location: '@payload_too_large',
    title: 'Payload Too Large',
    detail: 'The request body is larger than the gateway accepts.',
  },
  {
    status: 414,
    location: '@uri_too_long',
    title: 'URI Too Long',
    detail: 'The request URI is longer than the gateway accepts.',
  },
  {
    status: 500,
    location: '@internal_error',
    title: 'Internal Server Error',
    detail: 'The gateway failed to handle the request.',
  },
  {
    status: 502,
    location: '@bad_gateway',
    title: 'Bad Gateway',
    detail: 'The service behind this path is unavailable.',
  },
  {
    status: 503,
    location: '@service_unavailable',
    title: 'Service Unavailable',
    detail: 'The gateway cannot handle the request right now.',
  },
  {
    status: 504,
    location: '@gateway_timeout',
    title: 'Gateway Timeout',
    detail: 'The service behind this path did not answer in time.',
  },
];

const rateLimitedLocations = { api: '@api_rate_limited', auth: '@auth_rate_limited' };

/**
 * Renders nginx.conf for the given options.
 * @param {GatewayOptions} [options]
 * @returns {string}
 */
function renderGatewayConfig(options = {}) {
  const settings = resolveGatewayOptions(options);
  const indent = (/** @type {number} */ depth, /** @type {string[]} */ lines) =>
    lines.map((line) => (line ? ' '.repeat(depth) + line : line)).join('\n');

  const upstreams = settings.services.map((service) =>
    indent(4, [
      `upstream ${service.name} {`,
      `    server ${upstreamAddress(settings.upstreamHost)}:${settings.portOverrides[service.name] ?? service.port};`,
      `    keepalive ${settings.upstreamKeepalive};`,
      // Below Node's default 5 s server keepAliveTimeout: nginx must give up an
      // idle connection before the app closes it, or a POST sent on a socket
      // the app is closing fails with 502 (nginx never retries a POST).
      `    keepalive_timeout 4s;`,
      `}`,
    ]),
  );

  const limits = {
    api: [`limit_req zone=api burst=${settings.apiBurst} nodelay;`],
    auth: [
      `limit_req zone=api burst=${settings.apiBurst} nodelay;`,
      `limit_req zone=auth burst=${settings.authBurst} nodelay;`,
    ],
  };
  /** An error_page in a location replaces all the server's error_page lines, so list them all. */
  const errorPagesFor = (/** @type {'api' | 'auth'} */ zone) => [
    ...gatewayErrors.map((error) => `error_page ${error.status} ${error.location};`),
    `error_page 429 ${rateLimitedLocations[zone]};`,
  ];

  const routes = settings.services.flatMap((service) => {
    /** @type {string[]} */
    const blocks = [];
    for (const route of [...service.routes].sort((a, b) => a.path.localeCompare(b.path))) {
      const body = [
        ...limits[route.limit],
        // `api` routes inherit the server's error pages; `auth` routes point 429
        // at the location that announces the strict zone's Retry-After.
        ...(route.limit === 'auth' ? errorPagesFor('auth') : []),
        `proxy_pass http://${service.name};`,
      ];
      const matchers = route.exact ? [`= ${route.path}`] : [`= ${route.path}`, `${route.path}/`];
      for (const matcher of matchers) {
        blocks.push(
          indent(8, [`location ${matcher} {`, ...body.map((line) => `    ${line}`), `}`]),
        );
      }
    }
    return blocks.length ? [['', indent(8, [`# ${service.name}`])].join('\n'), ...blocks] : [];
  });

  const errorLocations = [
    ...gatewayErrors.map((error) =>
      indent(8, [
        `location ${error.location} {`,
        `    return ${error.status} '${problemJson(error.status, error.title, error.detail)}';`,
        `}`,
      ]),
    ),
    .../** @type {const} */ (['api', 'auth']).map((zone) =>
      indent(8, [
        `location ${rateLimitedLocations[zone]} {`,
        `    set $gateway_retry_after ${retryAfterSeconds(zone === 'api' ? settings.apiRate : settings.authRate)};`,
        `    return 429 '${problemJson(429, 'Too Many Requests', 'Too many requests from this address; retry after the number of seconds in Retry-After.')}';`,
        `}`,
      ]),
    ),
  ];

  /** @type {Record<string, string>} */
  const values = {
    runDir: settings.runDir,
    listenAddress: upstreamAddress(settings.listenAddress),
    listenPort: String(settings.listenPort),
    apiRate: settings.apiRate,
    authRate: settings.authRate,
    connectionsPerIp: String(settings.connectionsPerIp),
    clientMaxBodySize: settings.clientMaxBodySize,
    proxyConnectTimeout: settings.proxyConnectTimeout,
    proxyReadTimeout: settings.proxyReadTimeout,
    proxySendTimeout: settings.proxySendTimeout,
    notFoundBody: problemJson(404, 'Not Found', 'No resource at this path.'),
    upstreams: upstreams.join('\n\n'),
    serverErrorPages: indent(8, errorPagesFor('api')),
    routes: routes.join('\n'),
    errorLocations: errorLocations.join('\n'),
  };
  const template = fs.readFileSync(templateFile, 'utf8');
  return template.replace(/\{\{(\w+)\}\}/g, (placeholder, key) => {
    const value = values[key];
    if (value === undefined) throw new Error(`${templateFile}: unknown placeholder ${placeholder}`);
    return value;
  });
}

/**
 * @param {number} status
 * @param {string} title
 * @param {string} detail
 */
function problemJson(status, title, detail) {
  // Ends up inside a single-quoted nginx string, where "'" and "$" mean something.
  if (/['$\\]/.test(title + detail))
    throw new Error(`problem text must not contain ' $ or \\: ${title} ${detail}`);
  return JSON.stringify({ type: 'about:blank', title, status, detail });
}

/**
 * Seconds until the zone lets one more request through.
 * @param {string} rate e.g. `30r/m`
 */
function retryAfterSeconds(rate) {
  const [, count, unit] = /** @type {RegExpMatchArray} */ (rate.match(/^(\d+)r\/([sm])$/));
  return Math.max(1, Math.ceil((unit === 's' ? 1 : 60) / Number(count)));
}

/** @param {string} host */
function upstreamAddress(host) {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

// ---------------------------------------------------------------------------
// Running nginx
// ---------------------------------------------------------------------------

/** @param {string} runDir */
const configFile = (runDir) => path.join(runDir, 'nginx.conf');
/** @param {string} runDir */
const pidFile = (runDir) => path.join(runDir, 'nginx.pid');

/**
 * Renders the config into the run directory, checks it with `nginx -t`,
 * starts nginx as a daemon and waits until `GET /health` answers 200. When this
 * run directory's gateway is already running, it is reloaded with the new
 * config instead (so starting twice stays correct).
 * @param {GatewayOptions & StartOptions} [options]
 * @returns {Promise<number>} the nginx master's pid
 */
async function startGateway(options = {}) {
  const settings = resolveGatewayOptions(options);
  const nginxBinary = options.nginxBinary ?? defaultNginxBinary();
  const timeoutMs = options.startTimeoutMs ?? 15_000;
  const { runDir } = settings;
  await installConfig(settings, nginxBinary);

  const runningPid = runningGatewayPid(runDir);
  if (runningPid !== undefined) {
    process.kill(runningPid, 'SIGHUP');
    await waitForHealth(settings, timeoutMs);
    return runningPid;
  }
  fs.rmSync(pidFile(runDir), { force: true });

  const started = await runNginx(nginxBinary, runDir, []);
  if (started.code !== 0)
    throw new Error(`nginx did not start (exit ${started.code}):\n${started.output}`);

  const pid = await waitFor(() => runningGatewayPid(runDir), timeoutMs, 'the nginx pid file');
  try {
    await waitForHealth(settings, timeoutMs);
  } catch (error) {
    await stopGateway(runDir);
    throw new Error(
      `${errorMessage(error)}\n${tail(path.join(runDir, 'logs', 'gateway.error.log'))}`,
    );
  }
  return pid;
}

/**
 * Renders the config and checks it with `nginx -t`; only a config nginx
 * accepts replaces `<runDir>/nginx.conf`. Starts nothing.
 * @param {GatewayOptions & StartOptions} [options]
 * @returns {Promise<string>} the config file
 */
async function checkGatewayConfig(options = {}) {
  const settings = resolveGatewayOptions(options);
  return installConfig(settings, options.nginxBinary ?? defaultNginxBinary());
}

/**
 * @param {ResolvedGatewayOptions} settings
 * @param {string} nginxBinary
 */
async function installConfig(settings, nginxBinary) {
  const { runDir } = settings;
  prepareRunDir(runDir);
  const candidate = `${configFile(runDir)}.next`;
  fs.writeFileSync(candidate, renderGatewayConfig(settings));
  await checkConfig(nginxBinary, runDir, candidate);
  fs.renameSync(candidate, configFile(runDir));
  return configFile(runDir);
}

/**
 * Stops the gateway of this run directory: QUIT (finish the requests in
 * flight), then TERM if it is still there after `timeoutMs`. Only the pid in
 * the run directory's pid file is signalled.
 * @param {string} [runDir]
 * @param {{ timeoutMs?: number }} [options]
 * @returns {Promise<boolean>} false when it was not running
 */
async function stopGateway(runDir = resolveRunDir(), { timeoutMs = 10_000 } = {}) {
  const dir = path.resolve(runDir);
  const pid = runningGatewayPid(dir);
  if (pid === undefined) {
    fs.rmSync(pidFile(dir), { force: true });
    return false;
  }
  process.kill(pid, 'SIGQUIT');
  try {
    await waitFor(() => (isAlive(pid) ? undefined : true), timeoutMs, `nginx ${pid} to exit`);
  } catch {
    if (isAlive(pid)) process.kill(pid, 'SIGTERM');
    await waitFor(
      () => (isAlive(pid) ? undefined : true),
      5_000,
      `nginx ${pid} to exit after SIGTERM`,
    );
  }
  fs.rmSync(pidFile(dir), { force: true });
  return true;
}

/**
 * Re-reads the run directory's nginx.conf (after `nginx -t`) without dropping
 * connections. To render a new config first, call startGateway again.
 * @param {string} [runDir]
 * @param {StartOptions} [options]
 * @returns {Promise<number>} the pid
 */
async function reloadGateway(runDir = resolveRunDir(), options = {}) {
  const dir = path.resolve(runDir);
  const pid = runningGatewayPid(dir);
  if (pid === undefined) throw new Error(`no gateway is running in ${dir}`);
  await checkConfig(options.nginxBinary ?? defaultNginxBinary(), dir);
  process.kill(pid, 'SIGHUP');
  return pid;
}

/**
 * The pid of this run directory's nginx master, if it is running. The pid is
 * trusted only if that process is an nginx started with this directory's
 * config — a stale pid file may name a recycled pid.
 * @param {string} [runDir]
 * @returns {number | undefined}
 */
function runningGatewayPid(runDir = resolveRunDir()) {
  const dir = path.resolve(runDir);
  let pid;
  try {
    pid = Number.parseInt(fs.readFileSync(pidFile(dir), 'utf8').trim(), 10);
  } catch {
    return undefined;
  }
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return undefined;
  try {
    const commandLine = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
    return commandLine.includes('nginx') && commandLine.includes(configFile(dir)) ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** @param {string} runDir */
function prepareRunDir(runDir) {
  for (const dir of [runDir, path.join(runDir, 'logs'), path.join(runDir, 'tmp')]) {
    fs.mkdirSync(dir, { recursive: true });
  }
  // A root master runs its workers as `nobody`; they must reach the temp
  // directories (request bodies above 16k are buffered there).
  if (process.getuid?.() === 0) {
    fs.chmodSync(runDir, 0o755);
    fs.chmodSync(path.join(runDir, 'tmp'), 0o755);
  }
}

/**
 * @param {string} nginxBinary
 * @param {string} runDir
 * @param {string} [file] default: the run directory's nginx.conf
 */
async function checkConfig(nginxBinary, runDir, file = configFile(runDir)) {
  const result = await runNginx(nginxBinary, runDir, ['-t', '-q'], file);
  if (result.code !== 0) throw new Error(`nginx rejected ${file}:\n${result.output}`);
}

/**
 * Runs nginx for this run directory. Its output goes to a file, not a pipe:
 * the daemon it forks would otherwise keep our pipe open.
 * @param {string} nginxBinary
 * @param {string} runDir
 * @param {string[]} extraArgs
 * @param {string} [file] the config; default the run directory's nginx.conf
 * @returns {Promise<{ code: number | null, output: string }>}
 */
function runNginx(nginxBinary, runDir, extraArgs, file = configFile(runDir)) {
  const outputFile = path.join(runDir, 'logs', 'nginx.command.log');
  const output = fs.openSync(outputFile, 'w');
  const args = [...extraArgs, '-p', `${runDir}/`, '-c', file, '-e', 'stderr'];
  return new Promise((resolve, reject) => {
    const child = spawn(nginxBinary, args, { stdio: ['ignore', output, output] });
    // 'exit' may or may not follow 'error': settle once.
    let settled = false;
    child.on('error', (error) => {
      if (settled) return;
      settled = true;
      fs.closeSync(output);
      reject(new Error(`cannot run ${nginxBinary}: ${error.message}`));
    });
    child.on('exit', (code) => {
      if (settled) return;
      settled = true;
      fs.closeSync(output);
      resolve({ code, output: fs.readFileSync(outputFile, 'utf8').trim() });
    });
  });
}

/**
 * @param {ResolvedGatewayOptions} settings
 * @param {number} timeoutMs
 */
function waitForHealth(settings, timeoutMs) {
  const host = ['0.0.0.0', '::', '[::]'].includes(settings.listenAddress)
    ? '127.0.0.1'
    : settings.listenAddress;
  return waitFor(
    () =>
      /** @type {Promise<true | undefined>} */ (
        new Promise((resolve) => {
          const request = http.get(
            { host, port: settings.listenPort, path: '/health', agent: false, timeout: 1_000 },
            (response) => {
              response.resume();
              resolve(response.statusCode === 200 ? true : undefined);
            },
          );
          request.on('timeout', () => request.destroy());
          request.on('error', () => resolve(undefined));
        })
      ),
    timeoutMs,
    `GET http://${host}:${settings.listenPort}/health to answer 200`,
  );
}

/**
 * Polls `probe` until it returns a value other than undefined.
 * @template T
 * @param {() => T | undefined | Promise<T | undefined>} probe
 * @param {number} timeoutMs
 * @param {string} what
 * @returns {Promise<T>}
 */
async function waitFor(probe, timeoutMs, what) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * Alive and not a zombie: a daemonised nginx is re-parented, and the process
 * that adopts it may be slow to reap it.
 * @param {number} pid
 */
function isAlive(pid) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------------------
// Small helpers
// ---------------------------------------------------------------------------

function defaultNginxBinary() {
  return process.env.GATEWAY_NGINX_BIN ?? '/usr/sbin/nginx';
}

/** @returns {string} */
function resolveRunDir() {
  return path.resolve(process.env.GATEWAY_RUN_DIR ?? path.join(repositoryRoot, '.run', 'gateway'));
}

/**
 * @param {unknown} value
 * @returns {value is Record<string, unknown>}
 */
function isPlainObject(value) {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** @param {unknown} value */
function isPort(value) {
  return (
    Number.isInteger(value) &&
    /** @type {number} */ (value) >= 1 &&
    /** @type {number} */ (value) <= 65535
  );
}

/**
 * @param {NodeJS.ProcessEnv} env
 * @param {string} name
 * @returns {number | undefined}
 */
function integerFromEnv(env, name) {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  if (!/^\d+$/.test(raw)) throw new Error(`${name} must be a whole number, got "${raw}"`);
  return Number(raw);
}

/**
 * @param {string} name
 * @param {number} value
 * @param {number} minimum
 */
function checkCount(name, value, minimum) {
  if (!Number.isInteger(value) || value < minimum)
    throw new Error(`${name} must be an integer >= ${minimum}, got ${value}`);
  return value;
}

/**
 * @param {string} name
 * @param {string} value
 */
function checkRate(name, value) {
  if (!/^[1-9]\d*r\/[sm]$/.test(value))
    throw new Error(`${name} must look like "50r/s" or "30r/m", got "${value}"`);
  return value;
}

/**
 * @param {string} name
 * @param {string} value
 */
function checkSize(name, value) {
  if (!/^\d+[kKmMgG]?$/.test(value))
    throw new Error(`${name} must be an nginx size like "1m" or "512k", got "${value}"`);
  return value;
}

/**
 * @param {string} name
 * @param {string | number} value nginx time ("500ms", "5s", "1m") or seconds
 */
function checkDuration(name, value) {
  const text = typeof value === 'number' ? `${value}s` : value;
  if (!/^[1-9]\d*(ms|s|m|h)?$/.test(text))
    throw new Error(`${name} must be an nginx time like "5s" or "500ms", got "${value}"`);
  return text;
}

/**
 * @param {string} name
 * @param {string} value
 */
function checkHost(name, value) {
  if (!/^(\[[0-9A-Fa-f:.]+\]|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*|[A-Za-z0-9.-]+)$/.test(value)) {
    throw new Error(`${name} must be a host name or IP address, got "${value}"`);
  }
  return value;
}

/** @param {unknown} error */
function errorMessage(error) {
  return error instanceof Error ? error.message : String(error);
}

/**
 * The end of a log file, for error messages.
 * @param {string} file
 */
function tail(file) {
  try {
    return fs.readFileSync(file, 'utf8').split('\n').slice(-20).join('\n');
  } catch {
    return '';
  }
}

// ---------------------------------------------------------------------------
// Command line
// ---------------------------------------------------------------------------

/** @param {string[]} argv */
async function main(argv) {
  const [command, ...rest] = argv;
  /** @type {GatewayOptions} */
  const options = {};
  for (let i = 0; i < rest.length; i += 2) {
    const [flag, value] = [rest[i], rest[i + 1]];
    if (value === undefined) throw new Error(`${flag} needs a value`);
    if (flag === '--run-dir') options.runDir = value;
    else if (flag === '--port') options.listenPort = Number(value);
    else if (flag === '--services') options.services = loadServices(path.resolve(value));
    else throw new Error(`unknown option ${flag}`);
  }
  const runDir = path.resolve(options.runDir ?? resolveRunDir());

  switch (command) {
    case 'render':
      process.stdout.write(renderGatewayConfig(options));
      return;
    case 'start': {
      const pid = await startGateway(options);
      const { listenPort } = resolveGatewayOptions(options);
      console.log(`gateway: nginx ${pid} on http://localhost:${listenPort} (run dir ${runDir})`);
      return;
    }
    case 'stop':
      console.log((await stopGateway(runDir)) ? 'gateway: stopped' : 'gateway: was not running');
      return;
    case 'reload':
      console.log(`gateway: nginx ${await reloadGateway(runDir)} reloaded`);
      return;
    case 'status': {
      const pid = runningGatewayPid(runDir);
      console.log(pid === undefined ? 'gateway: not running' : `gateway: running, nginx ${pid}`);
      process.exitCode = pid === undefined ? 3 : 0;
      return;
    }
    default:
      console.error(
        'usage: node gateway/gateway.js render|start|stop|reload|status [--run-dir DIR] [--port N] [--services FILE]',
      );
      process.exitCode = 2;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((error) => {
    console.error(`gateway: ${errorMessage(error)}`);
    process.exitCode = 1;
  });
}

module.exports = {
  defaultServicesFile,
  loadServices,
  validateServices,
  resolveGatewayOptions,
  renderGatewayConfig,
  checkGatewayConfig,
  startGateway,
  stopGateway,
  reloadGateway,
  runningGatewayPid,
  isAlive,
};
