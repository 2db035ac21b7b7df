// @ts-check
/**
 * Talking to the supervisor (tools/platform/supervisor.js) from `npm start`
 * and `npm stop`: hand it a manifest, start it or make it reconcile, stop it
 * and whatever it left behind.
 */
const { spawn } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const {
  markerVariable,
  processMarker,
  ownedPidFromFile,
  isAlive,
  terminateProcess,
} = require('./processes');
const { waitFor, tailFile } = require('./wait');
const { fingerprintOf } = require('../supervisor');

const supervisorScript = path.resolve(__dirname, '..', 'supervisor.js');
const supervisorName = 'supervisor';

/**
 * @typedef {import('../supervisor').ProcessSpec} ProcessSpec
 * @typedef {{ runDir: string, pidsDir: string, logsDir: string }} RunPaths
 */

/**
 * The supervisor's pid when it runs for this run directory.
 * @param {RunPaths} paths
 */
function runningSupervisorPid(paths) {
  return ownedPidFromFile(
    path.join(paths.pidsDir, `${supervisorName}.pid`),
    paths.runDir,
    supervisorName,
  );
}

/**
 * Our processes that still run although no supervisor does (it was killed
 * with SIGKILL, or crashed): name → pid. Stale pid files are removed.
 * @param {RunPaths} paths
 * @returns {Map<string, number>}
 */
function ownedChildren(paths) {
  /** @type {Map<string, number>} */
  const owned = new Map();
  if (!fs.existsSync(paths.pidsDir)) return owned;
  for (const file of fs.readdirSync(paths.pidsDir)) {
    if (!file.endsWith('.pid')) continue;
    const name = file.slice(0, -'.pid'.length);
    if (name === supervisorName) continue;
    const pid = ownedPidFromFile(path.join(paths.pidsDir, file), paths.runDir, name);
    if (pid !== undefined) owned.set(name, pid);
  }
  return owned;
}

/**
 * The processes the supervisor currently runs, from its last manifest.
 * @param {RunPaths} paths
 * @returns {ProcessSpec[]}
 */
function currentManifestProcesses(paths) {
  try {
    return (
      JSON.parse(fs.readFileSync(path.join(paths.runDir, 'supervisor.json'), 'utf8')).processes ??
      []
    );
  } catch {
    return [];
  }
}

/**
 * Writes the manifest and makes it take effect: a running supervisor is told
 * to reconcile (SIGHUP); otherwise leftovers of a dead one are stopped and a
 * new supervisor is started, detached, outliving this process.
 * @param {RunPaths} paths
 * @param {{ processes: ProcessSpec[], stopGraceMs?: number }} manifest
 * @param {{ timeoutMs?: number, log?: (line: string) => void }} [options]
 * @returns {Promise<{ pid: number, action: 'started' | 'reconciled', changes: ManifestChanges }>}
 */
async function applyManifest(paths, manifest, { timeoutMs = 60_000, log = () => undefined } = {}) {
  fs.mkdirSync(paths.logsDir, { recursive: true });
  fs.mkdirSync(paths.pidsDir, { recursive: true });
  const previous = runningSupervisorPid(paths) === undefined ? [] : currentManifestProcesses(paths);
  const changes = compareManifests(previous, manifest.processes);
  const generation = crypto.randomUUID();
  const manifestFile = path.join(paths.runDir, 'supervisor.json');
  const temporary = `${manifestFile}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, `${JSON.stringify({ generation, ...manifest }, null, 2)}\n`);
  fs.renameSync(temporary, manifestFile);

  let pid = runningSupervisorPid(paths);
  /** @type {'started' | 'reconciled'} */
  let action = 'reconciled';
  const askedAt = Date.now();
  if (pid !== undefined) {
    process.kill(pid, 'SIGHUP');
  } else {
    for (const [name, orphan] of ownedChildren(paths)) {
      log(`stopping ${name} (pid ${orphan}), left running by a supervisor that is gone`);
      await terminateProcess(orphan);
      fs.rmSync(path.join(paths.pidsDir, `${name}.pid`), { force: true });
    }
    pid = spawnSupervisor(paths);
    action = 'started';
  }
  const supervisorPid = pid;
  const supervisorLog = path.join(paths.logsDir, 'supervisor.log');
  await waitFor(
    () => {
      const state = readState(paths);
      if (state?.pid === supervisorPid && state.generation === generation) return true;
      if (state?.pid === supervisorPid && state.error && (state.errorAt ?? 0) >= askedAt) {
        throw new Error(`the supervisor could not apply its manifest: ${state.error}`);
      }
      if (!isAlive(supervisorPid)) {
        throw new Error(
          `the supervisor (pid ${supervisorPid}) exited; its log:\n${tailFile(supervisorLog)}`,
        );
      }
      return undefined;
    },
    {
      timeoutMs,
      what: `the supervisor (pid ${supervisorPid}) to apply its manifest; see ${supervisorLog}`,
      intervalMs: 50,
    },
  );
  return { pid: supervisorPid, action, changes };
}

/**
 * @typedef {{ added: string[], changed: string[], removed: string[], unchanged: string[] }} ManifestChanges
 */

/**
 * What the supervisor will do with a new manifest: start the added processes,
 * restart the changed ones, stop the removed ones, leave the rest alone.
 * @param {ProcessSpec[]} before
 * @param {ProcessSpec[]} after
 * @returns {ManifestChanges}
 */
function compareManifests(before, after) {
  const old = new Map(before.map((spec) => [spec.name, fingerprintOf(spec)]));
  /** @type {ManifestChanges} */
  const changes = { added: [], changed: [], removed: [], unchanged: [] };
  for (const spec of after) {
    const fingerprint = old.get(spec.name);
    if (fingerprint === undefined) changes.added.push(spec.name);
    else if (fingerprint === fingerprintOf(spec)) changes.unchanged.push(spec.name);
    else changes.changed.push(spec.name);
  }
  const names = new Set(after.map((spec) => spec.name));
  changes.removed = before.filter((spec) => !names.has(spec.name)).map((spec) => spec.name);
  return changes;
}

/**
 * @param {RunPaths} paths
 * @returns {number}
 */
function spawnSupervisor(paths) {
  const logFd = fs.openSync(path.join(paths.logsDir, 'supervisor.log'), 'a');
  try {
    const child = spawn(process.execPath, [supervisorScript, paths.runDir], {
      cwd: path.resolve(__dirname, '../../..'),
      env: { ...process.env, [markerVariable]: processMarker(paths.runDir, supervisorName) },
      stdio: ['ignore', logFd, logFd],
      detached: true,
    });
    child.unref();
    if (child.pid === undefined) throw new Error('could not start the supervisor');
    return child.pid;
  } finally {
    fs.closeSync(logFd);
  }
}

/**
 * @param {RunPaths} paths
 * @returns {{ pid: number, generation: string, error: string | null, errorAt: number | null, processes: Record<string, { pid: number | null, starts: number }> } | undefined}
 */
function readState(paths) {
  try {
    return JSON.parse(fs.readFileSync(path.join(paths.runDir, 'supervisor.state.json'), 'utf8'));
  } catch {
    return undefined;
  }
}

/**
 * Stops the supervisor (which stops its children) and then any of our
 * processes still running from a pid file. Only pids that carry this run
 * directory's marker are signalled.
 * @param {RunPaths} paths
 * @param {{ log?: (line: string) => void, graceMs?: number }} [options]
 * @returns {Promise<string[]>} what was stopped
 */
async function stopSupervised(paths, { log = () => undefined, graceMs = 30_000 } = {}) {
  /** @type {string[]} */
  const stopped = [];
  const pid = runningSupervisorPid(paths);
  if (pid !== undefined) {
    const children = Object.keys(readState(paths)?.processes ?? {});
    // The supervisor gives each child its own grace period; it gets the sum.
    await terminateProcess(pid, { graceMs, group: false });
    stopped.push(`supervisor (pid ${pid})`, ...children);
  }
  fs.rmSync(path.join(paths.pidsDir, `${supervisorName}.pid`), { force: true });
  for (const [name, orphan] of ownedChildren(paths)) {
    log(`stopping ${name} (pid ${orphan})`);
    await terminateProcess(orphan);
    fs.rmSync(path.join(paths.pidsDir, `${name}.pid`), { force: true });
    if (!stopped.includes(name)) stopped.push(name);
  }
  return stopped;
}

module.exports = {
  supervisorName,
  runningSupervisorPid,
  ownedChildren,
  currentManifestProcesses,
  applyManifest,
  compareManifests,
  readState,
  stopSupervised,
};
