#!/usr/bin/env node
// @ts-check
/**
 * Production build of one NestJS app: ONE webpack bundle plus what a
 * container needs to install its run-time packages.
 *
 *   node tools/build/build-app.js <app-name> [--production]
 *
 * writes dist/apps/<app-name>/:
 *   main.js, main.js.map  the app and the @helpdesk/* libraries it uses
 *   package.json          only the npm packages the bundle requires (from the
 *                         webpack stats), versions from the root package.json
 *   package-lock.json     the matching cut of the root lockfile (`npm ci` works)
 *
 * An app's project.json build target runs this command (nx:run-commands), so
 * `nx affected -t build` and `npm start` build the same way. Tests and tools
 * call buildApp() with an explicit project root and output directory.
 */
const fs = require('node:fs');
const path = require('node:path');
const { createWebpackConfig, workspaceRoot } = require('./webpack.config');
const {
  packageNameOf,
  isNodeBuiltin,
  runtimeDependencies,
  pruneLockfile,
} = require('./runtime-package');

/**
 * @typedef {object} BuildAppOptions
 * @property {string} name the app's name (the runtime package is `@helpdesk/<name>`)
 * @property {string} [projectRoot] default apps/<name>
 * @property {string} [outputPath] default dist/apps/<name>
 * @property {boolean} [production]
 * @property {string} [entry] default <projectRoot>/src/main.ts
 */

/**
 * @typedef {object} BuildAppResult
 * @property {string} outputPath
 * @property {Record<string, string>} dependencies what the runtime package.json lists
 * @property {string[]} warnings webpack's and the dependency check's
 */

/**
 * @param {BuildAppOptions} options
 * @returns {Promise<BuildAppResult>}
 */
async function buildApp({ name, projectRoot, outputPath, production = false, entry }) {
  const root = path.resolve(workspaceRoot, projectRoot ?? path.join('apps', name));
  const output = path.resolve(workspaceRoot, outputPath ?? path.join('dist', 'apps', name));
  if (!fs.existsSync(root)) throw new Error(`no app at ${root}`);

  const webpack = require('webpack');
  const config = createWebpackConfig({ projectRoot: root, outputPath: output, production, entry });
  /** @type {import('webpack').Stats} */
  const stats = await new Promise((resolve, reject) => {
    const compiler = webpack(config);
    compiler.run((error, result) => {
      compiler.close((closeError) => {
        if (error || closeError || !result)
          reject(error ?? closeError ?? new Error('webpack produced no result'));
        else resolve(result);
      });
    });
  });
  const info = stats.toJson({ all: false, errors: true, warnings: true, errorDetails: false });
  if (stats.hasErrors()) {
    const messages = (info.errors ?? []).map((error) =>
      `${error.moduleName ?? ''} ${error.message}`.trim(),
    );
    throw new Error(`webpack could not build ${name}:\n${messages.join('\n\n')}`);
  }
  const warnings = (info.warnings ?? []).map((warning) =>
    `${warning.moduleName ?? ''} ${warning.message}`.trim(),
  );

  const workspacePackage = readJson(path.join(workspaceRoot, 'package.json'));
  const runtime = runtimeDependencies(requiredPackages(stats, webpack), {
    workspacePackage,
    nodeModules: path.join(workspaceRoot, 'node_modules'),
  });
  warnings.push(...runtime.warnings);
  const runtimePackage = {
    name: `@helpdesk/${name}`,
    version: workspacePackage.version ?? '0.0.0',
    private: true,
    description: `${name}, bundled by tools/build/build-app.js; install with npm ci --omit=dev`,
    main: 'main.js',
    scripts: { start: 'node main.js' },
    ...(workspacePackage.engines ? { engines: workspacePackage.engines } : {}),
    dependencies: runtime.dependencies,
  };
  writeJson(path.join(output, 'package.json'), runtimePackage);
  writeJson(
    path.join(output, 'package-lock.json'),
    pruneLockfile(readJson(path.join(workspaceRoot, 'package-lock.json')), runtimePackage),
  );
  return { outputPath: output, dependencies: runtime.dependencies, warnings };
}

/**
 * npm packages the bundle requires: its external modules, minus Node's own.
 * @param {import('webpack').Stats} stats
 * @param {typeof import('webpack')} webpack
 */
function requiredPackages(stats, webpack) {
  /** @type {Set<string>} */
  const names = new Set();
  for (const module of stats.compilation.modules) {
    if (!(module instanceof webpack.ExternalModule)) continue;
    const request = /** @type {unknown} */ (module.request);
    const value = Array.isArray(request)
      ? request[0]
      : typeof request === 'object' && request !== null
        ? Object.values(request)[0]
        : request;
    if (typeof value !== 'string' || isNodeBuiltin(value)) continue;
    names.add(packageNameOf(value));
  }
  return names;
}

/** @param {string} file */
function readJson(file) {
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

/**
 * @param {string} file
 * @param {unknown} value
 */
function writeJson(file, value) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
}

/**
 * @param {string[]} argv
 * @returns {{ name?: string, production: boolean, projectRoot?: string, outputPath?: string, help: boolean }}
 */
function parseArguments(argv) {
  /** @type {{ name?: string, production: boolean, projectRoot?: string, outputPath?: string, help: boolean }} */
  const parsed = { production: false, help: false };
  for (let index = 0; index < argv.length; index += 1) {
    const arg = argv[index];
    if (arg === '--production') parsed.production = true;
    else if (arg === '--help' || arg === '-h') parsed.help = true;
    else if (arg === '--project-root') parsed.projectRoot = argv[++index];
    else if (arg === '--output-path') parsed.outputPath = argv[++index];
    else if (arg.startsWith('-')) throw new Error(`unknown option ${arg}`);
    else if (parsed.name === undefined) parsed.name = arg;
    else throw new Error(`one app at a time (got "${parsed.name}" and "${arg}")`);
  }
  return parsed;
}

/** @param {string[]} argv */
async function main(argv) {
  const { name, production, projectRoot, outputPath, help } = parseArguments(argv);
  if (!name || help) {
    console.error(
      'usage: node tools/build/build-app.js <app-name> [--production] [--project-root DIR] [--output-path DIR]',
    );
    process.exitCode = 2;
    return;
  }
  const started = Date.now();
  const result = await buildApp({ name, production, projectRoot, outputPath });
  for (const warning of result.warnings) console.warn(`build-app: warning: ${warning}`);
  console.log(
    `build-app: ${name} -> ${path.relative(process.cwd(), result.outputPath) || '.'}/main.js ` +
      `(${Object.keys(result.dependencies).length} runtime packages, ${((Date.now() - started) / 1000).toFixed(1)} s)`,
  );
}

module.exports = { buildApp };

if (require.main === module) {
  main(process.argv.slice(2)).catch((error) => {
    console.error(`build-app: FAILED: ${error instanceof Error ? error.message : error}`);
    process.exitCode = 1;
  });
}
