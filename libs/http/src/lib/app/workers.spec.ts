import { fork, type ChildProcess } from 'node:child_process';
import * as http from 'node:http';
import * as path from 'node:path';
import * as net from 'node:net';
import { httpWorkers } from './workers';

/** A port nobody listens on now (libs/testing's freePort would make http depend on testing, which depends on http). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

interface Answer {
  pid: number;
  heard: string[];
}

function get(port: number, route = '/'): Promise<Answer> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path: route, agent: false }, (response) => {
        let body = '';
        response.on('data', (chunk) => (body += chunk));
        response.on('end', () => resolve(JSON.parse(body) as Answer));
      })
      .on('error', reject)
      .setTimeout(2_000, function (this: http.ClientRequest) {
        this.destroy(new Error('no answer in 2 s'));
      });
  });
}

/** Asks until `accept` is satisfied or the deadline passes. */
async function eventually<T>(ask: () => Promise<T>, accept: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const value = await ask().catch(() => undefined);
    if (value !== undefined && accept(value)) return value;
    if (Date.now() > deadline)
      throw new Error(`not satisfied in time; last: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The pids answering on the port, over fresh connections. */
async function servingPids(port: number): Promise<Set<number>> {
  const pids = new Set<number>();
  for (let index = 0; index < 10; index += 1) pids.add((await get(port)).pid);
  return pids;
}

describe('serveInWorkers', () => {
  let port: number;
  let primary: ChildProcess;

  beforeAll(async () => {
    port = await freePort();
    primary = fork(path.join(__dirname, 'test', 'workers-fixture.ts'), [], {
      execArgv: ['-r', '@swc-node/register'],
      env: { ...process.env, PORT: String(port) },
      stdio: 'ignore',
    });
  });
  afterAll(() => {
    if (primary.exitCode === null) primary.kill('SIGKILL');
  });

  it('serves one port from two worker processes', async () => {
    const pids = await eventually(
      () => servingPids(port),
      (seen) => seen.size === 2,
    );
    expect(pids.has(primary.pid as number)).toBe(false);
  });

  it('relays an announcement from one worker to its sibling', async () => {
    const announcer = await get(port, '/announce');
    const sibling = await eventually(
      () => get(port),
      (answer) => answer.pid !== announcer.pid && answer.heard.includes(`from ${announcer.pid}`),
    );
    expect(sibling.heard).not.toContain(`from ${sibling.pid}`);
  });

  it('replaces a worker that dies', async () => {
    const before = await servingPids(port);
    const crashed = (await get(port, '/crash')).pid;
    const after = await eventually(
      () => servingPids(port),
      (seen) => seen.size === 2 && !seen.has(crashed),
    );
    expect([...after].filter((pid) => !before.has(pid))).toHaveLength(1);
  });

  it('stops every worker on SIGTERM and exits 0', async () => {
    const exited = new Promise<number | null>((resolve) => primary.once('exit', resolve));
    primary.kill('SIGTERM');
    expect(await exited).toBe(0);
    await expect(get(port)).rejects.toThrow();
  });
});

describe('serveInWorkers with a worker that keeps dying', () => {
  it('gives up after more than 5 deaths a minute and exits 1, so its supervisor sees a broken service', async () => {
    const port = await freePort();
    const primary = fork(path.join(__dirname, 'test', 'workers-fixture.ts'), [], {
      execArgv: ['-r', '@swc-node/register'],
      env: { ...process.env, PORT: String(port) },
      stdio: 'ignore',
    });
    const exited = new Promise<number | null>((resolve) => primary.once('exit', resolve));
    try {
      let stillRunning = true;
      void exited.then(() => (stillRunning = false));
      const deadline = Date.now() + 40_000;
      while (stillRunning && Date.now() < deadline) {
        await get(port, '/crash').catch(() => undefined);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(await exited).toBe(1);
    } finally {
      if (primary.exitCode === null) primary.kill('SIGKILL');
    }
  }, 60_000);
});

describe('httpWorkers', () => {
  it('is 1 unless HTTP_WORKERS says otherwise, and refuses nonsense', () => {
    expect(httpWorkers({})).toBe(1);
    expect(httpWorkers({ HTTP_WORKERS: '2' })).toBe(2);
    expect(() => httpWorkers({ HTTP_WORKERS: '0' })).toThrow(/HTTP_WORKERS/);
    expect(() => httpWorkers({ HTTP_WORKERS: 'two' })).toThrow(/HTTP_WORKERS/);
  });
});
