// @ts-check
/**
 * Everything `npm start` / `npm stop` can be told through the environment, with
 * the defaults. A second instance (an end-to-end test next to a developer's
 * running system) sets its own run directory and ports.
 */
const path = require('node:path');

const repositoryRoot = path.resolve(__dirname, '../../..');

/**
 * @typedef {object} PlatformConfig
 * @property {string} repositoryRoot
 * @property {string} runDir pid files, logs, the supervisor's manifest (HELPDESK_RUN_DIR)
 * @property {string} logsDir
 * @property {string} pidsDir
 * @property {string} gatewayRunDir the gateway's nginx run directory
 * @property {string} appsDir where apps are discovered (HELPDESK_APPS_DIR; tests only)
 * @property {string} servicesFile the service registry (HELPDESK_SERVICES_FILE; tests only)
 * @property {string} distDir build output root; apps land in <distDir>/apps/<name> (HELPDESK_DIST_DIR; tests only)
 * @property {number} gatewayPort GATEWAY_PORT
 * @property {number} maildevSmtpPort MAILDEV_SMTP_PORT
 * @property {number} maildevWebPort MAILDEV_WEB_PORT
 * @property {number} portOffset added to every app's registry port (HELPDESK_PORT_OFFSET)
 * @property {string} databaseAdminUrl a connection to the `postgres` database as a role that may create databases
 * @property {string} rabbitmqUrl RABBITMQ_URL
 * @property {string} webUrl WEB_URL
 * @property {number} startTimeoutMs how long start waits for health (HELPDESK_START_TIMEOUT_MS)
 */

/**
 * @param {NodeJS.ProcessEnv} [env]
 * @returns {PlatformConfig}
 */
function resolvePlatformConfig(env = process.env) {
  const runDir = path.resolve(repositoryRoot, env.HELPDESK_RUN_DIR || '.run');
  const gatewayPort = portFromEnv(env, 'GATEWAY_PORT', 8080);
  return {
    repositoryRoot,
    runDir,
    logsDir: path.join(runDir, 'logs'),
    pidsDir: path.join(runDir, 'pids'),
    gatewayRunDir: path.join(runDir, 'gateway'),
    appsDir: path.resolve(repositoryRoot, env.HELPDESK_APPS_DIR || 'apps'),
    servicesFile: path.resolve(
      repositoryRoot,
      env.HELPDESK_SERVICES_FILE || 'gateway/services.json',
    ),
    distDir: path.resolve(repositoryRoot, env.HELPDESK_DIST_DIR || 'dist'),
    gatewayPort,
    maildevSmtpPort: portFromEnv(env, 'MAILDEV_SMTP_PORT', 1025),
    maildevWebPort: portFromEnv(env, 'MAILDEV_WEB_PORT', 1080),
    portOffset: integerFromEnv(env, 'HELPDESK_PORT_OFFSET', 0, -1000, 60_000),
    databaseAdminUrl:
      env.HELPDESK_DATABASE_ADMIN_URL || 'postgres://helpdesk:helpdesk@127.0.0.1:5432/postgres',
    rabbitmqUrl: env.RABBITMQ_URL || 'amqp://guest:guest@127.0.0.1:5672',
    webUrl: env.WEB_URL || `http://localhost:${gatewayPort}`,
    startTimeoutMs: integerFromEnv(env, 'HELPDESK_START_TIMEOUT_MS', 180_000, 1_000, 3_600_000),
  };
}

/**
 * @param {NodeJS.ProcessEnv} env
 * @param {string} name
 * @param {number} fallback
 */
function portFromEnv(env, name, fallback) {
  return integerFromEnv(env, name, fallback, 1, 65_535);
}

/**
 * @param {NodeJS.ProcessEnv} env
 * @param {string} name
 * @param {number} fallback
 * @param {number} minimum
 * @param {number} maximum
 */
function integerFromEnv(env, name, fallback, minimum, maximum) {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < minimum || value > maximum) {
    throw new Error(`${name} must be an integer between ${minimum} and ${maximum}, got "${raw}"`);
  }
  return value;
}

module.exports = { repositoryRoot, resolvePlatformConfig };
