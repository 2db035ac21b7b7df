// @ts-check
/**
 * Which apps `npm start` runs: every `apps/<dir>/project.json` tagged
 * `type:app`. Nothing lists them by hand, so a new app is picked up as soon as
 * it exists — provided the service registry (gateway/services.json) says
 * which port and database it gets.
 */
const fs = require('node:fs');
const path = require('node:path');

/**
 * @typedef {object} AppDefinition
 * @property {string} name the Nx project name, e.g. `ticket-service`
 * @property {string} root absolute project root
 * @property {number} port where it listens: the registry's port plus the offset
 * @property {string} database the registry's database name
 * @property {string} databaseUrlVariable e.g. `TICKET_SERVICE_DATABASE_URL`
 * @property {boolean} seed the registry's `seed: true`: start runs `main.js seed` once it is healthy
 * @property {number} workers the registry's `workers` (default 1): processes sharing the port (HTTP_WORKERS)
 */

/**
 * @param {{ appsDir: string, services: ReadonlyArray<{ name: string, port: number, database: string, seed?: boolean, workers?: number }>, portOffset?: number, servicesFile?: string }} options
 * @returns {AppDefinition[]}
 */
function discoverApps({
  appsDir,
  services,
  portOffset = 0,
  servicesFile = 'gateway/services.json',
}) {
  if (!fs.existsSync(appsDir)) return [];
  /** @type {AppDefinition[]} */
  const apps = [];
  /** @type {string[]} */
  const unregistered = [];
  const directories = fs
    .readdirSync(appsDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  for (const directory of directories) {
    const projectFile = path.join(appsDir, directory, 'project.json');
    if (!fs.existsSync(projectFile)) continue;
    /** @type {{ name?: unknown, tags?: unknown }} */
    let project;
    try {
      project = JSON.parse(fs.readFileSync(projectFile, 'utf8'));
    } catch (error) {
      throw new Error(
        `${projectFile}: not valid JSON (${error instanceof Error ? error.message : error})`,
      );
    }
    const tags = Array.isArray(project.tags) ? project.tags : [];
    if (!tags.includes('type:app')) continue;
    const name = typeof project.name === 'string' && project.name ? project.name : directory;
    const service = services.find((candidate) => candidate.name === name);
    if (!service) {
      unregistered.push(name);
      continue;
    }
    apps.push({
      name,
      root: path.join(appsDir, directory),
      port: service.port + portOffset,
      database: service.database,
      databaseUrlVariable: databaseUrlVariable(name),
      seed: service.seed === true,
      workers: service.workers ?? 1,
    });
  }
  if (unregistered.length > 0) {
    const example = unregistered[0];
    throw new Error(
      `${unregistered.map((name) => `"${name}"`).join(', ')} ${unregistered.length === 1 ? 'is an app' : 'are apps'} ` +
        `(tag type:app) but not in the service registry ${servicesFile}, so it has no port, database or routes.\n` +
        `Add an entry to its "services" array, e.g.\n` +
        `  { "name": "${example}", "port": <a free port, e.g. 3006>, "database": "helpdesk_${example.replace(/-service$/, '').replace(/-/g, '_')}", "routes": [{ "path": "/api/v1/<resource>" }] }\n` +
        `(\`npx nx g ./tools/generators:service --name=<name> --port=<port>\` does this for new services.)`,
    );
  }
  return apps;
}

/**
 * `ticket-service` → `TICKET_SERVICE_DATABASE_URL` (the convention every app reads).
 * @param {string} serviceName
 */
function databaseUrlVariable(serviceName) {
  return `${serviceName.toUpperCase().replace(/-/g, '_')}_DATABASE_URL`;
}

/**
 * The app's database URL: the caller's `<NAME>_DATABASE_URL` when set, else
 * the admin connection pointed at the app's database.
 * @param {AppDefinition} app
 * @param {string} databaseAdminUrl
 * @param {NodeJS.ProcessEnv} env
 */
function databaseUrlFor(app, databaseAdminUrl, env) {
  const explicit = env[app.databaseUrlVariable];
  if (explicit) return explicit;
  const url = new URL(databaseAdminUrl);
  url.pathname = `/${app.database}`;
  return url.toString();
}

module.exports = { discoverApps, databaseUrlVariable, databaseUrlFor };
