// @ts-check
/**
 * Running external commands with a deadline: a hung apt-get or rabbitmqctl
 * becomes an error that names the command, never a start that waits forever.
 */
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

/**
 * @typedef {object} CommandResult
 * @property {number | null} code
 * @property {string} output stdout and stderr interleaved (the last 256 KiB)
 */

/**
 * @typedef {object} CommandOptions
 * @property {number} timeoutMs the command is killed (SIGKILL) after this
 * @property {NodeJS.ProcessEnv} [env]
 * @property {string} [cwd]
 * @property {string} [input] written to stdin
 */

const keptOutputBytes = 256 * 1024;

/**
 * Runs a command to completion. Resolves with its exit code and output; rejects
 * when it cannot be started or outlives its deadline.
 * @param {string} command
 * @param {string[]} args
 * @param {CommandOptions} options
 * @returns {Promise<CommandResult>}
 */
function runCommand(command, args, { timeoutMs, env = process.env, cwd, input }) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      env,
      cwd,
      stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    let output = '';
    const keep = (/** @type {Buffer} */ chunk) => {
      output += chunk.toString('utf8');
      if (output.length > keptOutputBytes) output = output.slice(-keptOutputBytes);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    if (input !== undefined) child.stdin?.end(input);
    let settled = false;
    const timer = setTimeout(() => {
      if (settled) return;
      settled = true;
      child.kill('SIGKILL');
      reject(
        new Error(
          `\`${[command, ...args].join(' ')}\` did not finish within ${Math.round(timeoutMs / 1000)} s and was killed.\n${lastLines(output)}`,
        ),
      );
    }, timeoutMs);
    child.on('error', (error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      reject(new Error(`cannot run \`${command}\`: ${error.message}`));
    });
    child.on('close', (code) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

/**
 * Like runCommand, but a non-zero exit is an error carrying the output's tail.
 * @param {string} command
 * @param {string[]} args
 * @param {CommandOptions} options
 */
async function runCommandOrFail(command, args, options) {
  const result = await runCommand(command, args, options);
  if (result.code !== 0) {
    throw new Error(
      `\`${[command, ...args].join(' ')}\` failed (exit ${result.code}):\n${lastLines(result.output)}`,
    );
  }
  return result;
}

/**
 * Starts a daemonising command (one that forks and returns) with its output in
 * a file rather than a pipe: the daemon it leaves behind would otherwise hold
 * our pipe open.
 * @param {string} command
 * @param {string[]} args
 * @param {{ timeoutMs: number, logFile: string, env?: NodeJS.ProcessEnv, cwd?: string }} options
 * @returns {Promise<CommandResult>}
 */
function runDaemonizing(command, args, { timeoutMs, logFile, env = process.env, cwd }) {
  fs.mkdirSync(path.dirname(logFile), { recursive: true });
  const fd = fs.openSync(logFile, 'a');
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, cwd, stdio: ['ignore', fd, fd], detached: true });
    fs.closeSync(fd);
    let settled = false;
    const timer = setTimeout(() => {
      if (settled) return;
      settled = true;
      child.kill('SIGKILL');
      reject(
        new Error(
          `\`${[command, ...args].join(' ')}\` did not return within ${Math.round(timeoutMs / 1000)} s; see ${logFile}`,
        ),
      );
    }, timeoutMs);
    child.on('error', (error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      reject(new Error(`cannot run \`${command}\`: ${error.message}`));
    });
    child.on('exit', (code) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ code, output: '' });
    });
  });
}

/**
 * Whether an executable of this name is on PATH (or the path exists).
 * @param {string} name
 */
function findExecutable(name) {
  if (name.includes('/')) return isExecutable(name) ? name : undefined;
  const searchPath = `${process.env.PATH ?? ''}:/usr/local/sbin:/usr/sbin:/sbin`;
  for (const directory of searchPath.split(':')) {
    if (!directory) continue;
    const candidate = path.join(directory, name);
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

/** @param {string} file */
function isExecutable(file) {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/** @param {string} text */
function lastLines(text, count = 30) {
  return text.trimEnd().split('\n').slice(-count).join('\n');
}

module.exports = { runCommand, runCommandOrFail, runDaemonizing, findExecutable, lastLines };
