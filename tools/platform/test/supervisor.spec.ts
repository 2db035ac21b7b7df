import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { applyManifest, readState, runningSupervisorPid, stopSupervised } from '../lib/supervision';
import { isOwnedProcess, writePidFile } from '../lib/processes';
import { waitFor } from '../lib/wait';
import { fixturesDir, isRunning, readPid, removeDir, scratchDir } from './support';

interface Paths {
  runDir: string;
  pidsDir: string;
  logsDir: string;
}

function child(name: string, script: string, env: Record<string, string> = {}, revision = '1') {
  return {
    name,
    command: process.execPath,
    args: [path.join(fixturesDir, 'children', script)],
    env,
    revision,
  };
}

function logOf(paths: Paths, name: string): string {
  try {
    return fs.readFileSync(path.join(paths.logsDir, `${name}.log`), 'utf8');
  } catch {
    return '';
  }
}

function pidOf(paths: Paths, name: string): number | undefined {
  return readPid(path.join(paths.pidsDir, `${name}.pid`));
}

/** The pid in the pid file once it is a live process of ours (other than `previous`). */
function waitForPid(paths: Paths, name: string, previous?: number): Promise<number> {
  return waitFor(
    () => {
      const pid = pidOf(paths, name);
      return pid !== undefined && pid !== previous && isOwnedProcess(pid, paths.runDir, name)
        ? pid
        : undefined;
    },
    {
      timeoutMs: 15_000,
      what: `${name} to run${previous ? ` with a pid other than ${previous}` : ''}`,
    },
  );
}

describe('the supervisor', () => {
  let paths: Paths;
  const strangers: ChildProcess[] = [];

  beforeEach(() => {
    const runDir = scratchDir('platform-supervisor');
    paths = { runDir, pidsDir: path.join(runDir, 'pids'), logsDir: path.join(runDir, 'logs') };
  });

  afterEach(async () => {
    await stopSupervised(paths, { graceMs: 10_000 });
    for (const stranger of strangers.splice(0)) stranger.kill('SIGKILL');
    removeDir(paths.runDir);
  });

  it('restarts a child that keeps crashing, waiting longer each time', async () => {
    const { action } = await applyManifest(paths, { processes: [child('crasher', 'crashing.js')] });
    expect(action).toBe('started');

    await waitFor(
      () =>
        (logOf(paths, 'crasher').match(/crashing child started/g) ?? []).length >= 3
          ? true
          : undefined,
      {
        timeoutMs: 20_000,
        what: 'the crashing child to be started three times',
      },
    );

    const supervisorLog = logOf(paths, 'supervisor');
    expect(supervisorLog).toMatch(/crasher: exited unexpectedly \(code 3\).*restarting in 500 ms/);
    expect(supervisorLog).toMatch(/crasher: exited unexpectedly \(code 3\).*restarting in 1000 ms/);
    expect(logOf(paths, 'crasher')).toContain('supervisor: starting crasher (start #3)');
  });

  it('restarts a child that was killed, and keeps its pid file current', async () => {
    await applyManifest(paths, { processes: [child('steady', 'steady.js')] });
    const firstPid = await waitForPid(paths, 'steady');

    process.kill(firstPid, 'SIGKILL');

    const secondPid = await waitForPid(paths, 'steady', firstPid);
    expect(isRunning(firstPid)).toBe(false);
    expect(isRunning(secondPid)).toBe(true);
  });

  it('on a new manifest keeps unchanged children, restarts changed ones, starts added and stops removed ones', async () => {
    await applyManifest(paths, {
      processes: [
        child('kept', 'steady.js'),
        child('changed', 'steady.js', { FIXTURE_REVISION: 'a' }),
        child('removed', 'steady.js'),
      ],
    });
    const keptPid = await waitForPid(paths, 'kept');
    const changedPid = await waitForPid(paths, 'changed');
    const removedPid = await waitForPid(paths, 'removed');

    const second = await applyManifest(paths, {
      processes: [
        child('kept', 'steady.js'),
        child('changed', 'steady.js', { FIXTURE_REVISION: 'b' }),
        child('added', 'steady.js'),
      ],
    });

    expect(second.action).toBe('reconciled');
    expect(second.changes).toEqual({
      added: ['added'],
      changed: ['changed'],
      removed: ['removed'],
      unchanged: ['kept'],
    });
    expect(pidOf(paths, 'kept')).toBe(keptPid);
    expect(isRunning(keptPid)).toBe(true);
    const restartedPid = await waitForPid(paths, 'changed', changedPid);
    expect(isRunning(changedPid)).toBe(false);
    await waitFor(() => (logOf(paths, 'changed').includes('revision b') ? true : undefined), {
      timeoutMs: 10_000,
      what: 'the changed child to run with its new environment',
    });
    expect(isRunning(restartedPid)).toBe(true);
    await waitForPid(paths, 'added');
    expect(isRunning(removedPid)).toBe(false);
    expect(fs.existsSync(path.join(paths.pidsDir, 'removed.pid'))).toBe(false);
  });

  it('rejects a manifest it cannot apply, keeping what runs running', async () => {
    await applyManifest(paths, { processes: [child('steady', 'steady.js')] });
    const steadyPid = await waitForPid(paths, 'steady');

    await expect(
      applyManifest(paths, { processes: [child('Not A Name', 'steady.js')] }),
    ).rejects.toThrow(/could not apply its manifest: .*invalid process name "Not A Name"/);

    expect(isRunning(steadyPid)).toBe(true);
    expect(pidOf(paths, 'steady')).toBe(steadyPid);
  });

  it('stops every child on stop, killing one that ignores SIGTERM after the grace period, and removes the pid files', async () => {
    await applyManifest(paths, {
      processes: [child('steady', 'steady.js'), child('stubborn', 'stubborn.js')],
      stopGraceMs: 500,
    });
    const supervisorPid = runningSupervisorPid(paths) as number;
    const steadyPid = await waitForPid(paths, 'steady');
    const stubbornPid = await waitForPid(paths, 'stubborn');
    await waitFor(
      () => (logOf(paths, 'stubborn').includes('stubborn child started') ? true : undefined),
      {
        timeoutMs: 10_000,
        what: 'the stubborn child to install its SIGTERM handler',
      },
    );

    const stopped = await stopSupervised(paths);

    expect(stopped).toEqual(
      expect.arrayContaining([`supervisor (pid ${supervisorPid})`, 'steady', 'stubborn']),
    );
    for (const pid of [supervisorPid, steadyPid, stubbornPid]) expect(isRunning(pid)).toBe(false);
    expect(fs.readdirSync(paths.pidsDir)).toEqual([]);
    expect(logOf(paths, 'supervisor')).toMatch(/stubborn: did not stop within 500 ms; SIGKILL/);
    expect(readState(paths)?.processes).toBeDefined();
  });

  it('after the supervisor itself was killed, stop ends its orphans by pid file and leaves a stranger named in a pid file alone', async () => {
    await applyManifest(paths, { processes: [child('steady', 'steady.js')] });
    const supervisorPid = runningSupervisorPid(paths) as number;
    const orphanPid = await waitForPid(paths, 'steady');
    process.kill(supervisorPid, 'SIGKILL');
    await waitFor(() => (isRunning(supervisorPid) ? undefined : true), {
      timeoutMs: 10_000,
      what: 'the supervisor to die',
    });
    const stranger = spawn(process.execPath, [path.join(fixturesDir, 'children', 'steady.js')], {
      stdio: 'ignore',
    });
    strangers.push(stranger);
    writePidFile(path.join(paths.pidsDir, 'maildev.pid'), stranger.pid as number);

    const stopped = await stopSupervised(paths);

    expect(stopped).toEqual(['steady']);
    expect(isRunning(orphanPid)).toBe(false);
    expect(isRunning(stranger.pid as number)).toBe(true);
    expect(fs.readdirSync(paths.pidsDir)).toEqual([]);
  });

  it('a new start after the supervisor was killed replaces its orphans instead of running them twice', async () => {
    await applyManifest(paths, { processes: [child('steady', 'steady.js')] });
    const firstSupervisor = runningSupervisorPid(paths) as number;
    const orphanPid = await waitForPid(paths, 'steady');
    process.kill(firstSupervisor, 'SIGKILL');
    await waitFor(() => (isRunning(firstSupervisor) ? undefined : true), {
      timeoutMs: 10_000,
      what: 'the supervisor to die',
    });

    const again = await applyManifest(paths, { processes: [child('steady', 'steady.js')] });

    expect(again.action).toBe('started');
    expect(again.pid).not.toBe(firstSupervisor);
    const newPid = await waitForPid(paths, 'steady', orphanPid);
    expect(isRunning(orphanPid)).toBe(false);
    expect(isRunning(newPid)).toBe(true);
  });
});
