#!/usr/bin/env node
// @ts-check
/**
 * The process supervisor `npm start` leaves running (detached): it runs the
 * processes listed in `<runDir>/supervisor.json`, each with its output
 * appended to `<runDir>/logs/<name>.log` and its pid in
 * `<runDir>/pids/<name>.pid`, and restarts one that exits with a growing delay
 * (0.5 s, 1 s, 2 s ... up to 30 s; back to 0.5 s after it ran 30 s). A log
 * above 20 MB is moved to `<name>.log.1` when its process (re)starts.
 *
 *   SIGHUP          re-read the manifest: start new processes, stop removed
 *                   ones, restart changed ones (command, env or revision)
 *   SIGTERM/SIGINT  stop every child (SIGTERM to its process group, SIGKILL
 *                   after the grace period), remove the pid files, exit 0
 *
 * After each reconcile it writes `<runDir>/supervisor.state.json` with the
 * manifest generation it applied, so `npm start` knows its change took effect.
 *
 * Deliberately small: no dependencies (pm2 is AGPL), nothing but spawn, wait
 * and restart.
 *
 *   node tools/platform/supervisor.js <runDir>
 */
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { markerVariable, processMarker, writePidFile, signalProcess } = require('./lib/processes');

const supervisorName = 'supervisor';
const restartBaseDelayMs = 500;
const restartMaxDelayMs = 30_000;
const stableAfterMs = 30_000;
const maxLogBytes = 20 * 1024 * 1024;

/**
 * One process to run, as written by `npm start`.
 * @typedef {object} ProcessSpec
 * @property {string} name a file-name-safe name (used for its log and pid file)
 * @property {string} command
 * @property {string[]} args
 * @property {string} [cwd]
 * @property {Record<string, string>} [env] added to the supervisor's own environment
 * @property {string} [revision] changes when the program changed (a new build): restart it
 */

/**
 * @typedef {object} Manifest
 * @property {string} generation a new value each time `npm start` writes it
 * @property {ProcessSpec[]} processes
 * @property {number} [stopGraceMs] how long a child gets between SIGTERM and SIGKILL
 */

/**
 * @typedef {object} RunningProcess
 * @property {ProcessSpec} spec
 * @property {string} fingerprint
 * @property {import('node:child_process').ChildProcess | undefined} child
 * @property {Promise<void>} exited resolves when the current child has exited
 * @property {number} startedAt
 * @property {number} starts how many times it was started
 * @property {number} consecutiveCrashes
 * @property {NodeJS.Timeout | undefined} restartTimer
 * @property {boolean} stopping
 * @property {string | undefined} lastExit
 */

/** @param {string} runDir */
const pathsFor = (runDir) => ({
  manifest: path.join(runDir, 'supervisor.json'),
  state: path.join(runDir, 'supervisor.state.json'),
  logs: path.join(runDir, 'logs'),
  pids: path.join(runDir, 'pids'),
});

/** @param {ProcessSpec} spec */
function fingerprintOf(spec) {
  return JSON.stringify([
    spec.command,
    spec.args,
    spec.cwd ?? null,
    spec.env ?? {},
    spec.revision ?? null,
  ]);
}

/**
 * The delay before the n-th restart in a row.
 * @param {number} consecutiveCrashes at least 1
 */
function restartDelayMs(consecutiveCrashes) {
  return Math.min(restartMaxDelayMs, restartBaseDelayMs * 2 ** Math.max(0, consecutiveCrashes - 1));
}

/** @param {string} message */
function say(message) {
  process.stdout.write(`${new Date().toISOString()} supervisor[${process.pid}]: ${message}\n`);
}

class Supervisor {
  /** @param {string} runDir */
  constructor(runDir) {
    this.runDir = path.resolve(runDir);
    this.paths = pathsFor(this.runDir);
    /** @type {Map<string, RunningProcess>} */
    this.processes = new Map();
    this.generation = '';
    /** @type {string | undefined} */
    this.lastError = undefined;
    this.lastErrorAt = 0;
    this.stopGraceMs = 10_000;
    this.shuttingDown = false;
    /** @type {Promise<void>} */
    this.queue = Promise.resolve();
  }

  /**
   * Runs jobs one at a time: a reconcile never overlaps a shutdown.
   * @param {() => Promise<void>} job
   */
  enqueue(job) {
    this.queue = this.queue.then(job).catch((error) => {
      say(`error: ${error instanceof Error ? error.stack : error}`);
    });
    return this.queue;
  }

  /** @returns {Manifest} */
  readManifest() {
    const manifest = JSON.parse(fs.readFileSync(this.paths.manifest, 'utf8'));
    if (!manifest || !Array.isArray(manifest.processes))
      throw new Error(`${this.paths.manifest}: no "processes" array`);
    for (const spec of manifest.processes) {
      if (!/^[a-z0-9][a-z0-9._-]*$/.test(spec.name) || spec.name === supervisorName) {
        throw new Error(
          `${this.paths.manifest}: invalid process name ${JSON.stringify(spec.name)}`,
        );
      }
    }
    return manifest;
  }

  async reconcile() {
    if (this.shuttingDown) return;
    const manifest = this.readManifest();
    this.stopGraceMs = manifest.stopGraceMs ?? this.stopGraceMs;
    const wanted = new Map(manifest.processes.map((spec) => [spec.name, spec]));

    const stops = [];
    for (const [name, running] of this.processes) {
      const spec = wanted.get(name);
      if (!spec) {
        say(`${name}: no longer in the manifest; stopping`);
        stops.push(this.stop(running).then(() => this.processes.delete(name)));
      } else if (fingerprintOf(spec) !== running.fingerprint) {
        say(`${name}: changed; restarting`);
        stops.push(this.stop(running).then(() => this.processes.delete(name)));
      }
    }
    await Promise.all(stops);
    for (const spec of manifest.processes) {
      if (!this.processes.has(spec.name)) this.launch(spec);
    }
    this.generation = manifest.generation;
    this.lastError = undefined;
    this.writeState();
  }

  /**
   * A manifest that cannot be applied keeps what runs now running; the error
   * lands in the state file, where `npm start` reports it.
   * @param {unknown} error
   */
  recordReconcileError(error) {
    this.lastError = error instanceof Error ? error.message : String(error);
    this.lastErrorAt = Date.now();
    say(`cannot apply the manifest: ${this.lastError}`);
    this.writeState();
  }

  /** @param {ProcessSpec} spec */
  launch(spec) {
    /** @type {RunningProcess} */
    const running = {
      spec,
      fingerprint: fingerprintOf(spec),
      child: undefined,
      exited: Promise.resolve(),
      startedAt: 0,
      starts: 0,
      consecutiveCrashes: 0,
      restartTimer: undefined,
      stopping: false,
      lastExit: undefined,
    };
    this.processes.set(spec.name, running);
    this.spawnChild(running);
  }

  /** @param {RunningProcess} running */
  spawnChild(running) {
    const { spec } = running;
    const logFile = path.join(this.paths.logs, `${spec.name}.log`);
    const pidFile = path.join(this.paths.pids, `${spec.name}.pid`);
    fs.mkdirSync(this.paths.logs, { recursive: true });
    rotateIfLarge(logFile);
    running.starts += 1;
    fs.appendFileSync(
      logFile,
      `--- ${new Date().toISOString()} supervisor: starting ${spec.name} (start #${running.starts}) ---\n`,
    );
    const logFd = fs.openSync(logFile, 'a');
    let child;
    try {
      child = spawn(spec.command, spec.args, {
        cwd: spec.cwd,
        env: {
          ...process.env,
          ...spec.env,
          [markerVariable]: processMarker(this.runDir, spec.name),
        },
        stdio: ['ignore', logFd, logFd],
        // Its own process group: stopping it also stops whatever it spawned.
        detached: true,
      });
    } finally {
      fs.closeSync(logFd);
    }
    running.child = child;
    running.startedAt = Date.now();
    running.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.onExit(running, child, code, signal);
        resolve();
      });
      child.once('error', (error) => {
        fs.appendFileSync(
          logFile,
          `--- supervisor: cannot start ${spec.command}: ${error.message} ---\n`,
        );
        // A process that never started emits no 'exit': count it as a crash (retried with backoff).
        if (child.pid === undefined) {
          this.onExit(running, child, null, null);
          resolve();
        }
      });
    });
    if (child.pid !== undefined) {
      writePidFile(pidFile, child.pid);
      say(`${spec.name}: started (pid ${child.pid}, start #${running.starts})`);
    }
    this.writeState();
  }

  /**
   * @param {RunningProcess} running
   * @param {import('node:child_process').ChildProcess} child
   * @param {number | null} code
   * @param {NodeJS.Signals | null} signal
   */
  onExit(running, child, code, signal) {
    const { spec } = running;
    if (running.child !== child) return;
    running.child = undefined;
    running.lastExit = signal ? `signal ${signal}` : `code ${code}`;
    const pidFile = path.join(this.paths.pids, `${spec.name}.pid`);
    if (String(child.pid) === safeRead(pidFile).trim()) fs.rmSync(pidFile, { force: true });
    if (running.stopping || this.shuttingDown) {
      say(`${spec.name}: stopped (${running.lastExit})`);
      this.writeState();
      return;
    }
    const ranMs = Date.now() - running.startedAt;
    running.consecutiveCrashes = ranMs >= stableAfterMs ? 1 : running.consecutiveCrashes + 1;
    const delayMs = restartDelayMs(running.consecutiveCrashes);
    const line = `${spec.name}: exited unexpectedly (${running.lastExit}) after ${Math.round(ranMs / 100) / 10} s; restarting in ${delayMs} ms`;
    say(line);
    fs.appendFileSync(
      path.join(this.paths.logs, `${spec.name}.log`),
      `--- supervisor: ${line} ---\n`,
    );
    running.restartTimer = setTimeout(() => {
      running.restartTimer = undefined;
      if (!running.stopping && !this.shuttingDown) this.spawnChild(running);
    }, delayMs);
    this.writeState();
  }

  /**
   * SIGTERM to the child's process group; SIGKILL when it outlives the grace period.
   * @param {RunningProcess} running
   */
  async stop(running) {
    running.stopping = true;
    if (running.restartTimer) clearTimeout(running.restartTimer);
    running.restartTimer = undefined;
    const child = running.child;
    if (!child || child.pid === undefined) return;
    signalProcess(child.pid, 'SIGTERM');
    const finished = await Promise.race([
      running.exited.then(() => true),
      new Promise((resolve) => setTimeout(() => resolve(false), this.stopGraceMs)),
    ]);
    if (!finished) {
      say(`${running.spec.name}: did not stop within ${this.stopGraceMs} ms; SIGKILL`);
      signalProcess(child.pid, 'SIGKILL');
      await running.exited;
    }
  }

  async shutdown() {
    if (this.shuttingDown) return;
    say('stopping every child');
    this.shuttingDown = true;
    await Promise.all([...this.processes.values()].map((running) => this.stop(running)));
    this.writeState();
    const ownPidFile = path.join(this.paths.pids, `${supervisorName}.pid`);
    if (safeRead(ownPidFile).trim() === String(process.pid)) fs.rmSync(ownPidFile, { force: true });
    say('stopped');
  }

  writeState() {
    const state = {
      pid: process.pid,
      generation: this.generation,
      error: this.lastError ?? null,
      errorAt: this.lastError ? this.lastErrorAt : null,
      shuttingDown: this.shuttingDown,
      processes: Object.fromEntries(
        [...this.processes].map(([name, running]) => [
          name,
          {
            pid: running.child?.pid ?? null,
            starts: running.starts,
            lastExit: running.lastExit ?? null,
            startedAt: running.startedAt ? new Date(running.startedAt).toISOString() : null,
          },
        ]),
      ),
    };
    const temporary = `${this.paths.state}.${process.pid}.tmp`;
    fs.writeFileSync(temporary, `${JSON.stringify(state, null, 2)}\n`);
    fs.renameSync(temporary, this.paths.state);
  }
}

/**
 * Keeps one previous generation (`<name>.log.1`) when a log outgrew the limit.
 * Checked whenever the process (re)starts: a crash loop cannot fill the disk,
 * a long quiet run is not interrupted.
 * @param {string} logFile
 */
function rotateIfLarge(logFile) {
  try {
    if (fs.statSync(logFile).size > maxLogBytes) fs.renameSync(logFile, `${logFile}.1`);
  } catch {
    // no log yet
  }
}

/** @param {string} file */
function safeRead(file) {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

/** @param {string} runDir */
function main(runDir) {
  const supervisor = new Supervisor(runDir);
  writePidFile(path.join(supervisor.paths.pids, `${supervisorName}.pid`), process.pid);
  say(`running for ${supervisor.runDir}`);

  const exitAfterShutdown = (/** @type {number} */ code) =>
    supervisor.enqueue(() => supervisor.shutdown()).then(() => process.exit(code));
  process.on('SIGTERM', () => void exitAfterShutdown(0));
  process.on('SIGINT', () => void exitAfterShutdown(0));
  process.on('SIGHUP', () => {
    say('SIGHUP: re-reading the manifest');
    void supervisor.enqueue(() =>
      supervisor.reconcile().catch((error) => supervisor.recordReconcileError(error)),
    );
  });
  process.on('uncaughtException', (error) => {
    say(`uncaught exception: ${error.stack ?? error}`);
    void exitAfterShutdown(1);
  });
  void supervisor.enqueue(() =>
    supervisor.reconcile().catch((error) => {
      // Nothing useful to supervise: report and leave.
      supervisor.recordReconcileError(error);
      return supervisor.shutdown().then(() => process.exit(1));
    }),
  );
}

module.exports = { supervisorName, restartDelayMs, pathsFor, fingerprintOf };

if (require.main === module) {
  const runDir = process.argv[2];
  if (!runDir) {
    console.error('usage: node tools/platform/supervisor.js <runDir>');
    process.exit(2);
  }
  main(runDir);
}
