// @ts-check
/**
 * `nx g @helpdesk/tools:service <name>-service`: a new NestJS service with the
 * platform's conventions wired in, registered everywhere the platform looks:
 *   - gateway/services.json — its port, database and public routes, so
 *     `npm start` builds, migrates and starts it and the gateway routes to it;
 *   - workspace.json — the documented map of projects;
 *   - eslint.config.mjs — its own `scope:`, so no other service may import it.
 * Plain CommonJS so Nx loads it without a TypeScript transpiler.
 */
const path = require('node:path');
const { formatFiles, generateFiles, names, readJson, writeJson } = require('@nx/devkit');

const REGISTRY = 'gateway/services.json';
const WORKSPACE_MAP = 'workspace.json';
const ESLINT_CONFIG = 'eslint.config.mjs';

/**
 * @typedef {{ name: string, port?: number, routes?: string[] }} ServiceOptions
 * @typedef {{ name: string, port: number, database: string, routes: { path: string, limit?: string, exact?: boolean }[] }} RegistryEntry
 */

/**
 * @param {import('@nx/devkit').Tree} tree
 * @param {ServiceOptions} options
 */
function normalize(tree, options) {
  if (!/^[a-z][a-z0-9]*(-[a-z0-9]+)*-service$/.test(options.name)) {
    throw new Error(
      `"${options.name}" is not a service name: use kebab-case ending in -service, e.g. billing-service.`,
    );
  }
  const projectRoot = `apps/${options.name}`;
  if (tree.exists(projectRoot)) throw new Error(`${projectRoot} already exists.`);

  /** @type {{ services: RegistryEntry[] }} */
  const registry = readJson(tree, REGISTRY);
  if (registry.services.some((s) => s.name === options.name)) {
    throw new Error(`${options.name} is already in ${REGISTRY}.`);
  }
  const usedPorts = new Set(registry.services.map((s) => s.port));
  const port = options.port ?? Math.max(3000, ...usedPorts) + 1;
  if (usedPorts.has(port)) throw new Error(`Port ${port} is already taken in ${REGISTRY}.`);

  const scope = options.name.replace(/-service$/, '');
  const routes = options.routes?.length ? options.routes : [`/api/v1/${scope}`];
  const takenPaths = new Set(registry.services.flatMap((s) => s.routes.map((r) => r.path)));
  const clash = routes.find((r) => takenPaths.has(r));
  if (clash)
    throw new Error(`The route ${clash} already belongs to another service in ${REGISTRY}.`);

  const { className, constantName } = names(options.name);
  return {
    name: options.name,
    projectRoot,
    port,
    scope,
    routes,
    database: `helpdesk_${scope.replace(/-/g, '_')}`,
    className,
    databaseUrlVariable: `${constantName}_DATABASE_URL`,
    offsetFromRoot: '../../',
    tmpl: '',
  };
}

/**
 * Adds the scope to the `serviceScopes` list in eslint.config.mjs, keeping
 * the rest of the file as it is.
 * @param {import('@nx/devkit').Tree} tree
 * @param {string} scope
 */
function addScopeToBoundaryRules(tree, scope) {
  const source = tree.read(ESLINT_CONFIG, 'utf-8');
  if (!source) throw new Error(`${ESLINT_CONFIG} is missing.`);
  const list = /export const serviceScopes = \[([^\]]*)\];/;
  const match = source.match(list);
  if (!match)
    throw new Error(`${ESLINT_CONFIG} has no "export const serviceScopes = [...]" to extend.`);
  const scopes = match[1]
    .split(',')
    .map((s) => s.trim().replace(/^['"]|['"]$/g, ''))
    .filter(Boolean);
  if (scopes.includes(scope)) return;
  const updated = [...scopes, scope].map((s) => `'${s}'`).join(', ');
  tree.write(ESLINT_CONFIG, source.replace(list, `export const serviceScopes = [${updated}];`));
}

/**
 * @param {import('@nx/devkit').Tree} tree
 * @param {ServiceOptions} options
 */
async function serviceGenerator(tree, options) {
  const service = normalize(tree, options);

  generateFiles(tree, path.join(__dirname, 'files'), service.projectRoot, service);

  /** @type {{ services: RegistryEntry[] }} */
  const registry = readJson(tree, REGISTRY);
  registry.services.push({
    name: service.name,
    port: service.port,
    database: service.database,
    routes: service.routes.map((p) => ({ path: p })),
  });
  writeJson(tree, REGISTRY, registry);

  const workspaceMap = readJson(tree, WORKSPACE_MAP);
  workspaceMap.projects = Object.fromEntries(
    Object.entries({ ...workspaceMap.projects, [service.name]: service.projectRoot }).sort(
      ([a], [b]) => a.localeCompare(b),
    ),
  );
  writeJson(tree, WORKSPACE_MAP, workspaceMap);

  addScopeToBoundaryRules(tree, service.scope);

  await formatFiles(tree);
}

module.exports = serviceGenerator;
module.exports.default = serviceGenerator;
