import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { isAlive } from '../lib/processes';
import { freePort } from '@helpdesk/testing';

export const repositoryRoot = path.resolve(__dirname, '../../..');
export const fixturesDir = path.join(__dirname, 'fixtures');

/**
 * A fresh directory under the repository's tmp/ (git-ignored). Inside the
 * repository, so bundles built or run there resolve the workspace's
 * node_modules like dist/ does.
 */
export function scratchDir(label: string): string {
  const dir = path.join(
    repositoryRoot,
    'tmp',
    `${label}-${process.pid}-${crypto.randomBytes(3).toString('hex')}`,
  );
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

export function removeDir(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}

export { freePort };

export interface ScriptResult {
  code: number | null;
  output: string;
}

/** Runs a Node script to completion (killed after the deadline) and returns its exit code and output. */
export function runNodeScript(
  script: string,
  args: string[],
  {
    env = process.env,
    timeoutMs = 120_000,
    cwd = repositoryRoot,
  }: { env?: NodeJS.ProcessEnv; timeoutMs?: number; cwd?: string } = {},
): Promise<ScriptResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], {
      cwd,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(
          `${path.basename(script)} ${args.join(' ')} did not finish within ${timeoutMs} ms:\n${output}`,
        ),
      );
    }, timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

/** What a client sees first on an SMTP port: the server's greeting line. */
export function smtpGreeting(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.setTimeout(5_000, () => {
      socket.destroy();
      reject(new Error(`no SMTP greeting on port ${port}`));
    });
    socket.once('data', (chunk: Buffer) => {
      socket.end('QUIT\r\n');
      resolve(chunk.toString());
    });
    socket.once('error', reject);
  });
}

export function readPid(file: string): number | undefined {
  try {
    const pid = Number.parseInt(fs.readFileSync(file, 'utf8'), 10);
    return Number.isInteger(pid) ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** Alive and not a zombie. */
export const isRunning: (pid: number) => boolean = isAlive;
