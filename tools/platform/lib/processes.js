// @ts-check
/**
 * Pid files and the ownership check that guards every signal we send.
 *
 * A pid file alone proves nothing: the process may be gone and its pid reused
 * by something else. Every process `npm start` starts carries the environment
 * variable HELPDESK_PROCESS=<runDir>#<name>; before we signal a pid we read
 * /proc/<pid>/environ and require exactly that marker. Nothing is ever looked
 * up or killed by name.
 */
const fs = require('node:fs');
const path = require('node:path');
const { waitFor } = require('./wait');
// Alive and not a zombie: one reading of /proc for the gateway's nginx and the platform's children.
const { isAlive } = require('../../../gateway/gateway.js');

const markerVariable = 'HELPDESK_PROCESS';

/**
 * The marker value for one process of one run directory.
 * @param {string} runDir
 * @param {string} name
 */
function processMarker(runDir, name) {
  return `${path.resolve(runDir)}#${name}`;
}

/**
 * @param {string} pidFile
 * @returns {number | undefined}
 */
function readPidFile(pidFile) {
  let text;
  try {
    text = fs.readFileSync(pidFile, 'utf8');
  } catch {
    return undefined;
  }
  const pid = Number.parseInt(text.trim(), 10);
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

/**
 * Writes atomically, so a reader never sees half a pid.
 * @param {string} pidFile
 * @param {number} pid
 */
function writePidFile(pidFile, pid) {
  fs.mkdirSync(path.dirname(pidFile), { recursive: true });
  const temporary = `${pidFile}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, `${pid}\n`);
  fs.renameSync(temporary, pidFile);
}

/**
 * Whether `pid` is alive and carries our marker for `name` in `runDir`.
 * @param {number} pid
 * @param {string} runDir
 * @param {string} name
 */
function isOwnedProcess(pid, runDir, name) {
  if (!isAlive(pid)) return false;
  let environ;
  try {
    environ = fs.readFileSync(`/proc/${pid}/environ`, 'utf8');
  } catch {
    return false; // another user's process, or gone in the meantime
  }
  const expected = `${markerVariable}=${processMarker(runDir, name)}`;
  return environ.split('\0').includes(expected);
}

/**
 * The pid in `pidFile` when it is our live process named `name`; otherwise
 * undefined (and a stale pid file is removed).
 * @param {string} pidFile
 * @param {string} runDir
 * @param {string} name
 * @returns {number | undefined}
 */
function ownedPidFromFile(pidFile, runDir, name) {
  const pid = readPidFile(pidFile);
  if (pid !== undefined && isOwnedProcess(pid, runDir, name)) return pid;
  fs.rmSync(pidFile, { force: true });
  return undefined;
}

/**
 * Sends a signal to a process group when the pid leads one (our children are
 * spawned detached, so their own children go with them), else to the process.
 * @param {number} pid
 * @param {NodeJS.Signals} signal
 */
function signalProcess(pid, signal) {
  try {
    process.kill(-pid, signal);
    return;
  } catch {
    // not a group leader (or already gone): fall through to the process itself
  }
  try {
    process.kill(pid, signal);
  } catch {
    // already gone
  }
}

/**
 * SIGTERM, wait up to `graceMs`, then SIGKILL and wait again. Resolves when the
 * process is gone; rejects only when even SIGKILL did not end it.
 * @param {number} pid
 * @param {{ graceMs?: number, group?: boolean }} [options]
 * @returns {Promise<'terminated' | 'killed' | 'gone'>}
 */
async function terminateProcess(pid, { graceMs = 10_000, group = true } = {}) {
  if (!isAlive(pid)) return 'gone';
  const send = (/** @type {NodeJS.Signals} */ signal) =>
    group ? signalProcess(pid, signal) : safeKill(pid, signal);
  send('SIGTERM');
  try {
    await waitFor(() => (isAlive(pid) ? undefined : true), {
      timeoutMs: graceMs,
      what: `process ${pid} to exit`,
      intervalMs: 50,
    });
    return 'terminated';
  } catch {
    send('SIGKILL');
    await waitFor(() => (isAlive(pid) ? undefined : true), {
      timeoutMs: 5_000,
      what: `process ${pid} to exit after SIGKILL`,
      intervalMs: 50,
    });
    return 'killed';
  }
}

/**
 * @param {number} pid
 * @param {NodeJS.Signals} signal
 */
function safeKill(pid, signal) {
  try {
    process.kill(pid, signal);
  } catch {
    // already gone
  }
}

module.exports = {
  markerVariable,
  processMarker,
  readPidFile,
  writePidFile,
  isAlive,
  isOwnedProcess,
  ownedPidFromFile,
  signalProcess,
  terminateProcess,
};
