// @ts-check
/**
 * What a bundled app needs at run time, as an installable package: a
 * package.json listing only the npm packages the bundle requires (versions
 * from the workspace's package.json), and a package-lock.json cut out of the
 * workspace's lockfile, so `npm ci --omit=dev` in a container installs exactly
 * the versions the workspace tested, and nothing else.
 */
const fs = require('node:fs');
const { isBuiltin } = require('node:module');
const path = require('node:path');

/**
 * `@nestjs/core/injector` → `@nestjs/core`; `rxjs/operators` → `rxjs`.
 * @param {string} request
 */
function packageNameOf(request) {
  const parts = request.split('/');
  return request.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/**
 * @param {string} request
 */
function isNodeBuiltin(request) {
  return request.startsWith('node:') || isBuiltin(request);
}

/**
 * @typedef {object} WorkspacePackage
 * @property {string} [name]
 * @property {string} [version]
 * @property {Record<string, string>} [engines]
 * @property {Record<string, string>} [dependencies]
 * @property {Record<string, string>} [devDependencies]
 */

/**
 * The runtime dependencies of a bundle that requires `requiredPackages`.
 *
 * Also added: optional peer dependencies of those packages that the workspace
 * declares as production dependencies. Nest and TypeORM load such peers
 * lazily (`@fastify/static` for Swagger UI, `pg` for TypeORM, class-validator
 * for the ValidationPipe), so the bundle never names them, yet the app needs
 * them — and the workspace declaring them under `dependencies` says so.
 *
 * @param {Iterable<string>} requiredPackages package names the bundle requires
 * @param {{ workspacePackage: WorkspacePackage, nodeModules: string }} workspace
 * @returns {{ dependencies: Record<string, string>, warnings: string[] }}
 */
function runtimeDependencies(requiredPackages, { workspacePackage, nodeModules }) {
  const production = workspacePackage.dependencies ?? {};
  const development = workspacePackage.devDependencies ?? {};
  /** @type {string[]} */
  const warnings = [];
  /** @type {Record<string, string>} */
  const dependencies = {};
  const queue = [...requiredPackages];
  while (queue.length > 0) {
    const name = /** @type {string} */ (queue.shift());
    if (dependencies[name]) continue;
    const installed = readInstalledPackage(nodeModules, name);
    if (production[name]) {
      dependencies[name] = production[name];
    } else if (development[name]) {
      dependencies[name] = development[name];
      warnings.push(
        `${name} is a devDependency of the workspace, but the app requires it at run time: move it to "dependencies".`,
      );
    } else if (installed?.version) {
      dependencies[name] = installed.version;
      warnings.push(
        `${name} is required by the app but not declared in the workspace's package.json (using the installed ${installed.version}).`,
      );
    } else {
      throw new Error(
        `the bundle requires "${name}", which is neither declared in package.json nor installed.`,
      );
    }
    const meta = installed?.peerDependenciesMeta ?? {};
    for (const peer of Object.keys(installed?.peerDependencies ?? {})) {
      if (meta[peer]?.optional && production[peer] && !dependencies[peer]) queue.push(peer);
    }
  }
  return { dependencies: sortKeys(dependencies), warnings };
}

/**
 * @param {string} nodeModules
 * @param {string} name
 * @returns {{ version?: string, peerDependencies?: Record<string, string>, peerDependenciesMeta?: Record<string, { optional?: boolean }> } | undefined}
 */
function readInstalledPackage(nodeModules, name) {
  try {
    return JSON.parse(fs.readFileSync(path.join(nodeModules, name, 'package.json'), 'utf8'));
  } catch {
    return undefined;
  }
}

/**
 * @typedef {object} LockEntry
 * @property {string} [version]
 * @property {string} [resolved]
 * @property {boolean} [link]
 * @property {boolean} [dev]
 * @property {boolean} [optional]
 * @property {boolean} [devOptional]
 * @property {boolean} [peer]
 * @property {Record<string, string>} [dependencies]
 * @property {Record<string, string>} [optionalDependencies]
 * @property {Record<string, string>} [peerDependencies]
 * @property {Record<string, { optional?: boolean }>} [peerDependenciesMeta]
 */

/**
 * Cuts the part of a lockfile (v2/v3) that `dependencies` need: every package
 * reachable from them through dependencies, optional dependencies and
 * non-optional peer dependencies, at the same place in the tree, with the
 * dev/optional/peer flags recomputed for the smaller tree.
 *
 * @param {{ lockfileVersion: number, packages: Record<string, LockEntry> }} workspaceLock
 * @param {{ name: string, version: string, engines?: Record<string, string>, dependencies: Record<string, string> }} runtimePackage
 */
function pruneLockfile(workspaceLock, runtimePackage) {
  if (!workspaceLock.packages || workspaceLock.lockfileVersion < 2) {
    throw new Error('package-lock.json must be lockfileVersion 2 or 3 (npm 7+)');
  }
  const packages = workspaceLock.packages;

  /**
   * Node's resolution inside the lockfile's tree: `<from>/node_modules/<name>`,
   * then each enclosing package's node_modules, then the root's.
   * @param {string} from
   * @param {string} name
   */
  const resolveFrom = (from, name) => {
    let base = from;
    for (;;) {
      const candidate = `${base ? `${base}/` : ''}node_modules/${name}`;
      if (packages[candidate]) return candidate;
      if (!base) return undefined;
      const parent = base.lastIndexOf('/node_modules/');
      base = parent === -1 ? '' : base.slice(0, parent);
    }
  };

  /**
   * @param {string} key
   * @param {LockEntry} entry
   * @returns {Array<{ name: string, optional: boolean, peer: boolean }>}
   */
  const edgesOf = (key, entry) => {
    if (key === '')
      return Object.keys(runtimePackage.dependencies).map((name) => ({
        name,
        optional: false,
        peer: false,
      }));
    const meta = entry.peerDependenciesMeta ?? {};
    return [
      ...Object.keys(entry.dependencies ?? {}).map((name) => ({
        name,
        optional: false,
        peer: false,
      })),
      ...Object.keys(entry.optionalDependencies ?? {}).map((name) => ({
        name,
        optional: true,
        peer: false,
      })),
      ...Object.keys(entry.peerDependencies ?? {})
        .filter((name) => !meta[name]?.optional)
        .map((name) => ({ name, optional: false, peer: true })),
    ];
  };

  /**
   * Keys reachable from the root through the edges `follow` accepts.
   * @param {(edge: { optional: boolean, peer: boolean }) => boolean} follow
   * @param {boolean} strict whether a missing non-optional package is an error
   */
  const reachable = (follow, strict) => {
    const seen = new Set(['']);
    const queue = [''];
    while (queue.length > 0) {
      const key = /** @type {string} */ (queue.shift());
      const entry = key === '' ? {} : packages[key];
      for (const edge of edgesOf(key, entry)) {
        if (!follow(edge)) continue;
        let target = resolveFrom(key, edge.name);
        if (target && packages[target].link && packages[target].resolved !== undefined) {
          seen.add(target);
          target = /** @type {string} */ (packages[target].resolved);
        }
        if (!target || !packages[target]) {
          if (strict && !edge.optional) {
            throw new Error(
              `package-lock.json has no "${edge.name}" reachable from ${key || 'the root'}; run npm install`,
            );
          }
          continue;
        }
        if (!seen.has(target)) {
          seen.add(target);
          queue.push(target);
        }
      }
    }
    return seen;
  };

  const included = reachable(() => true, true);
  const required = reachable((edge) => !edge.optional, false);
  const notOnlyPeer = reachable((edge) => !edge.peer, false);

  /** @type {Record<string, LockEntry | Record<string, unknown>>} */
  const prunedPackages = {
    '': {
      name: runtimePackage.name,
      version: runtimePackage.version,
      dependencies: runtimePackage.dependencies,
      ...(runtimePackage.engines ? { engines: runtimePackage.engines } : {}),
    },
  };
  for (const key of [...included].filter((key) => key !== '').sort()) {
    const entry = { ...packages[key] };
    for (const flag of /** @type {const} */ (['dev', 'devOptional', 'optional', 'peer']))
      delete entry[flag];
    prunedPackages[key] = {
      ...entry,
      ...(required.has(key) ? {} : { optional: true }),
      ...(notOnlyPeer.has(key) ? {} : { peer: true }),
    };
  }
  return {
    name: runtimePackage.name,
    version: runtimePackage.version,
    lockfileVersion: workspaceLock.lockfileVersion,
    requires: true,
    packages: prunedPackages,
  };
}

/**
 * @template T
 * @param {Record<string, T>} record
 * @returns {Record<string, T>}
 */
function sortKeys(record) {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)));
}

module.exports = { packageNameOf, isNodeBuiltin, runtimeDependencies, pruneLockfile };
