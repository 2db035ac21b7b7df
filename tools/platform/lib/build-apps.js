// @ts-check
/**
 * Production builds for `npm start`: each app through tools/build/build-app.js,
 * at most two at a time (two cores), skipped when nothing it is built from
 * changed since its last build.
 *
 * "What it is built from" is deliberately broad and cheap to compute: the
 * app's directory, every library under libs/, the TypeScript base config, the
 * lockfile and the build tooling — file paths, sizes and modification times,
 * hashed; tests and docs left out. A change anywhere in libs/ rebuilds every app; that costs seconds,
 * while a missed change would run stale code.
 */
const { spawn } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { lastLines } = require('./commands');

const buildScript = path.resolve(__dirname, '../../build/build-app.js');
const fingerprintFile = '.build-fingerprint';
const skippedDirectories = new Set([
  'node_modules',
  'dist',
  'coverage',
  '.run',
  '.nx',
  'tmp',
  '.git',
  'test',
  'test-support',
  '__tests__',
]);
/** Files that never end up in a bundle (the same idea as nx.json's `production` inputs). */
const skippedFiles = /(\.(spec|test|e2e-spec)\.ts|\.md|^jest\.config\.[cm]?[jt]s)$/;

/**
 * @typedef {object} BuildTarget
 * @property {string} name
 * @property {string} root absolute project root
 */

/**
 * @param {BuildTarget} app
 * @param {{ repositoryRoot: string, production: boolean }} options
 */
function inputFingerprint(app, { repositoryRoot, production }) {
  const hash = crypto.createHash('sha256');
  hash.update(`production=${production}\n`);
  const inputs = [
    app.root,
    path.join(repositoryRoot, 'libs'),
    path.join(repositoryRoot, 'tsconfig.base.json'),
    path.join(repositoryRoot, 'package-lock.json'),
    path.join(repositoryRoot, 'tools', 'build'),
  ];
  for (const input of inputs) addToHash(hash, input, repositoryRoot);
  return hash.digest('hex');
}

/**
 * @param {crypto.Hash} hash
 * @param {string} target
 * @param {string} base
 */
function addToHash(hash, target, base) {
  let stat;
  try {
    stat = fs.statSync(target);
  } catch {
    hash.update(`missing ${path.relative(base, target)}\n`);
    return;
  }
  if (stat.isDirectory()) {
    for (const entry of fs
      .readdirSync(target, { withFileTypes: true })
      .sort((a, b) => a.name.localeCompare(b.name))) {
      if (entry.isDirectory() ? skippedDirectories.has(entry.name) : skippedFiles.test(entry.name))
        continue;
      addToHash(hash, path.join(target, entry.name), base);
    }
    return;
  }
  hash.update(`${path.relative(base, target)} ${stat.size} ${stat.mtimeMs}\n`);
}

/**
 * @param {string} outputPath
 */
function readFingerprint(outputPath) {
  try {
    return fs.readFileSync(path.join(outputPath, fingerprintFile), 'utf8').trim();
  } catch {
    return undefined;
  }
}

/**
 * Builds the apps that need it. Resolves with each app's output and the
 * fingerprint of what it was built from (its revision: when it changes, the
 * supervisor restarts the app).
 * @param {BuildTarget[]} apps
 * @param {{ repositoryRoot: string, distDir: string, logsDir: string, production?: boolean, concurrency?: number, log?: (line: string) => void }} options
 * @returns {Promise<Map<string, { outputPath: string, fingerprint: string, built: boolean }>>}
 */
async function buildApps(
  apps,
  { repositoryRoot, distDir, logsDir, production = true, concurrency = 2, log = () => undefined },
) {
  /** @type {Map<string, { outputPath: string, fingerprint: string, built: boolean }>} */
  const results = new Map();
  /** @type {Array<{ app: BuildTarget, outputPath: string, fingerprint: string }>} */
  const pending = [];
  for (const app of apps) {
    const outputPath = path.join(distDir, 'apps', app.name);
    const fingerprint = inputFingerprint(app, { repositoryRoot, production });
    const upToDate =
      readFingerprint(outputPath) === fingerprint &&
      fs.existsSync(path.join(outputPath, 'main.js'));
    results.set(app.name, { outputPath, fingerprint, built: !upToDate });
    if (upToDate) log(`${app.name}: build up to date`);
    else pending.push({ app, outputPath, fingerprint });
  }

  /** @type {Error[]} */
  const failures = [];
  const worker = async () => {
    for (let job = pending.shift(); job; job = pending.shift()) {
      const { app, outputPath, fingerprint } = job;
      const started = Date.now();
      const logFile = path.join(logsDir, `${app.name}.build.log`);
      const args = [buildScript, app.name, '--project-root', app.root, '--output-path', outputPath];
      if (production) args.push('--production');
      const code = await runToLog(process.execPath, args, { cwd: repositoryRoot, logFile });
      if (code !== 0) {
        failures.push(
          new Error(
            `building ${app.name} failed (exit ${code}); ${logFile}:\n${lastLines(fs.readFileSync(logFile, 'utf8'))}`,
          ),
        );
        continue;
      }
      fs.writeFileSync(path.join(outputPath, fingerprintFile), `${fingerprint}\n`);
      log(
        `${app.name}: built in ${((Date.now() - started) / 1000).toFixed(1)} s (${path.relative(repositoryRoot, outputPath)}/main.js)`,
      );
    }
  };
  await Promise.all(
    Array.from({ length: Math.max(1, Math.min(concurrency, pending.length)) }, worker),
  );
  if (failures.length > 0) throw new Error(failures.map((failure) => failure.message).join('\n\n'));
  return results;
}

/**
 * @param {string} command
 * @param {string[]} args
 * @param {{ cwd: string, logFile: string, timeoutMs?: number, env?: NodeJS.ProcessEnv }} options
 * @returns {Promise<number | null>}
 */
function runToLog(command, args, { cwd, logFile, timeoutMs = 10 * 60_000, env = process.env }) {
  fs.mkdirSync(path.dirname(logFile), { recursive: true });
  const fd = fs.openSync(logFile, 'w');
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', fd, fd] });
    fs.closeSync(fd);
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(
          `\`${args.slice(0, 2).join(' ')}\` did not finish within ${timeoutMs / 1000} s; see ${logFile}`,
        ),
      );
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
}

module.exports = { buildApps, inputFingerprint, runToLog };
