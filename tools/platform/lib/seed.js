// @ts-check
/**
 * Demo data for `npm start`: `node main.js seed`, the entry-point convention
 * of an app whose registry entry says `"seed": true` (gateway/services.json).
 * The command is idempotent (it creates what is missing and prints how to sign
 * in), so start runs it every time, once the app is healthy.
 */
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { lastLines } = require('./commands');
const { tailFile } = require('./wait');

/**
 * @typedef {object} SeedOptions
 * @property {string} outputPath the app's build output (holds main.js)
 * @property {NodeJS.ProcessEnv} env the app's environment
 * @property {string} cwd
 * @property {string} logsDir the seed's output goes to <logsDir>/<app>.seed.log
 * @property {number} [timeoutMs] killed (SIGKILL) after this; default 2 min
 */

/**
 * Runs `node --enable-source-maps <outputPath>/main.js seed`. Everything it
 * writes goes to the log; its stdout (the demo logins) is also returned,
 * trimmed and without structured log lines (the apps' pino logger writes JSON
 * lines to stdout too). A non-zero exit or the deadline is an error naming
 * the log, with its tail.
 * @param {string} appName
 * @param {SeedOptions} options
 * @returns {Promise<string>}
 */
function runSeed(appName, { outputPath, env, cwd, logsDir, timeoutMs = 2 * 60_000 }) {
  const logFile = path.join(logsDir, `${appName}.seed.log`);
  fs.mkdirSync(logsDir, { recursive: true });
  const log = fs.createWriteStream(logFile, { flags: 'w' });
  const args = ['--enable-source-maps', path.join(outputPath, 'main.js'), 'seed'];
  /** @param {string} reason */
  const failure = (reason) =>
    new Error(
      `${appName}: seeding demo data failed (${reason}); ${logFile}:\n${lastLines(tailFile(logFile))}`,
    );
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    // Output still buffered in the pipes after a deadline kill must not write to the closed log.
    const toLog = (/** @type {Buffer} */ chunk) => {
      if (!log.writableEnded) log.write(chunk);
    };
    child.stdout.on('data', (/** @type {Buffer} */ chunk) => {
      stdout += chunk.toString('utf8');
      toLog(chunk);
    });
    child.stderr.on('data', toLog);
    let settled = false;
    /** @param {() => void} settle */
    const finish = (settle) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      log.end(settle);
    };
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      finish(() =>
        reject(
          failure(`it did not finish within ${Math.round(timeoutMs / 1000)} s and was killed`),
        ),
      );
    }, timeoutMs);
    child.on('error', (error) =>
      finish(() => reject(new Error(`${appName}: cannot run \`main.js seed\`: ${error.message}`))),
    );
    child.on('close', (code, signal) =>
      finish(() =>
        code === 0
          ? resolve(withoutLogLines(stdout))
          : reject(failure(code === null ? `killed by ${signal}` : `exit ${code}`)),
      ),
    );
  });
}

/**
 * What a person should read: stdout without lines that are JSON objects.
 * @param {string} stdout
 */
function withoutLogLines(stdout) {
  return stdout
    .split('\n')
    .filter((line) => !isJsonObject(line))
    .join('\n')
    .replace(/^\s*\n/, '')
    .trimEnd();
}

/** @param {string} line */
function isJsonObject(line) {
  const text = line.trim();
  if (!text.startsWith('{') || !text.endsWith('}')) return false;
  try {
    const value = JSON.parse(text);
    return typeof value === 'object' && value !== null;
  } catch {
    return false;
  }
}

module.exports = { runSeed };
