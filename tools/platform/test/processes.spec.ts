import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {
  isOwnedProcess,
  ownedPidFromFile,
  processMarker,
  terminateProcess,
  writePidFile,
} from '../lib/processes';
import { fixturesDir, isRunning, removeDir, scratchDir } from './support';

const children: ChildProcess[] = [];

/** Starts a fixture child and resolves once it has printed its first line (its handlers are installed). */
async function startChild(script: string, marker?: string): Promise<number> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env['HELPDESK_PROCESS'];
  if (marker) env['HELPDESK_PROCESS'] = marker;
  const child = spawn(process.execPath, [path.join(fixturesDir, 'children', script)], {
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
    detached: true,
  });
  children.push(child);
  await new Promise<void>((resolve, reject) => {
    // Keep reading: a child writing into a pipe nobody drains may die of it.
    child.stdout?.on('data', () => resolve());
    child.once('exit', (code) => reject(new Error(`${script} exited early (${code})`)));
  });
  return child.pid as number;
}

describe('pid files and ownership', () => {
  let runDir: string;

  beforeEach(() => {
    runDir = scratchDir('platform-pids');
  });

  afterEach(() => {
    for (const child of children.splice(0)) {
      if (child.pid && isRunning(child.pid)) child.kill('SIGKILL');
    }
    removeDir(runDir);
  });

  it('recognises a process carrying this run directory marker for that name', async () => {
    const pid = await startChild('steady.js', processMarker(runDir, 'ticket-service'));

    expect(isOwnedProcess(pid, runDir, 'ticket-service')).toBe(true);
    expect(isOwnedProcess(pid, runDir, 'user-service')).toBe(false);
    expect(isOwnedProcess(pid, path.join(runDir, 'other'), 'ticket-service')).toBe(false);
  });

  it('never claims a process without the marker, even when a pid file names it', async () => {
    const strangerPid = await startChild('steady.js');
    const pidFile = path.join(runDir, 'pids', 'ticket-service.pid');
    writePidFile(pidFile, strangerPid);

    expect(ownedPidFromFile(pidFile, runDir, 'ticket-service')).toBeUndefined();
    expect(fs.existsSync(pidFile)).toBe(false);
    expect(isRunning(strangerPid)).toBe(true);
  });

  it('treats the pid file of a process that is gone as stale and removes it', async () => {
    const pid = await startChild('steady.js', processMarker(runDir, 'maildev'));
    const pidFile = path.join(runDir, 'pids', 'maildev.pid');
    writePidFile(pidFile, pid);
    expect(ownedPidFromFile(pidFile, runDir, 'maildev')).toBe(pid);

    await terminateProcess(pid);

    expect(ownedPidFromFile(pidFile, runDir, 'maildev')).toBeUndefined();
    expect(fs.existsSync(pidFile)).toBe(false);
  });

  it('stops a process with SIGTERM and reports it gone', async () => {
    const pid = await startChild('steady.js', processMarker(runDir, 'steady'));

    await expect(terminateProcess(pid, { graceMs: 10_000 })).resolves.toBe('terminated');
    expect(isRunning(pid)).toBe(false);
  });

  it('kills a process that ignores SIGTERM once the grace period is over', async () => {
    const pid = await startChild('stubborn.js', processMarker(runDir, 'stubborn'));

    await expect(terminateProcess(pid, { graceMs: 300 })).resolves.toBe('killed');
    expect(isRunning(pid)).toBe(false);
  });
});
