import { fork, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { freePort } from '@helpdesk/testing';
import { ListTotals } from './list-totals';

describe('ListTotals', () => {
  it('counts once within the TTL, again after a write to the organization, never across organizations', async () => {
    const totals = new ListTotals();
    let counted = 0;
    const count = async () => ++counted;

    expect(await totals.total('org-a', 'status=open', count)).toBe(1);
    expect(await totals.total('org-a', 'status=open', count)).toBe(1);
    expect(await totals.total('org-b', 'status=open', count)).toBe(2);
    expect(await totals.total('org-a', 'status=closed', count)).toBe(3);

    totals.forget('org-a');
    expect(await totals.total('org-a', 'status=open', count)).toBe(4);
    expect(await totals.total('org-b', 'status=open', count)).toBe(2);
  });

  it('always counts when the cache is off (LIST_TOTAL_CACHE_MS=0)', async () => {
    const previous = process.env['LIST_TOTAL_CACHE_MS'];
    process.env['LIST_TOTAL_CACHE_MS'] = '0';
    try {
      const totals = new ListTotals();
      let counted = 0;
      await totals.total('org', 'k', async () => ++counted);
      expect(await totals.total('org', 'k', async () => ++counted)).toBe(2);
    } finally {
      if (previous === undefined) delete process.env['LIST_TOTAL_CACHE_MS'];
      else process.env['LIST_TOTAL_CACHE_MS'] = previous;
    }
  });
});

describe('ListTotals in sibling workers (HTTP_WORKERS=2)', () => {
  let port: number;
  let primary: ChildProcess;

  /** Answers from each worker (fresh connections are dealt round-robin), by pid. */
  async function byWorker(route = '/total'): Promise<Map<number, number>> {
    const answers = new Map<number, number>();
    for (let attempt = 0; attempt < 20 && answers.size < 2; attempt += 1) {
      const response = await fetch(`http://127.0.0.1:${port}${route}`).catch(() => undefined);
      if (!response) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        continue;
      }
      const { pid, total } = (await response.json()) as { pid: number; total: number };
      answers.set(pid, total);
    }
    return answers;
  }

  beforeAll(async () => {
    port = await freePort();
    primary = fork(path.join(__dirname, 'test', 'list-totals-workers-fixture.ts'), [], {
      execArgv: ['-r', '@swc-node/register'],
      env: {
        ...process.env,
        // The fixture imports @helpdesk/* libraries: resolve them as the workspace does.
        SWC_NODE_PROJECT: path.join(__dirname, '../../../../tsconfig.base.json'),
        PORT: String(port),
        LIST_TOTAL_CACHE_MS: '60000',
      },
      stdio: 'ignore',
    });
  });
  afterAll(() => {
    if (primary.exitCode === null) primary.kill('SIGKILL');
  });

  it('a write through one worker makes the other count again too', async () => {
    const deadline = Date.now() + 15_000;
    let cached = await byWorker();
    while (cached.size < 2 && Date.now() < deadline) cached = await byWorker();
    expect([...cached.values()]).toEqual([1, 1]); // each counted once, then remembers

    await fetch(`http://127.0.0.1:${port}/write`);

    // Both forgot: the writer at once, its sibling through the primary.
    let after = await byWorker();
    while ([...after.values()].some((total) => total < 2) && Date.now() < deadline)
      after = await byWorker();
    expect(after.size).toBe(2);
    expect([...after.values()].every((total) => total === 2)).toBe(true);
  });
});
