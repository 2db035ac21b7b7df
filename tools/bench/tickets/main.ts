/**
 * Tickets benchmark: ticket-service through the NGINX gateway on a seeded
 * organization of 100,000 tickets, beside this machine's ceiling measured in
 * the same run — nginx in front of a bare node:http server doing the same
 * database work (and, for creates, one INSERT plus a confirmed publish).
 *
 *   npm start                     (with the gateway's per-address limits raised, see README.md)
 *   npm run seed:tickets          (once; main.ts seeds itself when .run/bench-tickets.json is missing)
 *   npm run bench:tickets         (BENCH_SECONDS=10 BENCH_WARMUP_SECONDS=2 BENCH_JIT_WARMUP_SECONDS=10 BENCH_CONNECTIONS=50 BENCH_ONLY=search,POST)
 *
 * Not a test: it prints figures and targets, it asserts nothing.
 */
import { fork, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { randomUUID } from 'node:crypto';
import * as amqplib from 'amqplib';
import { Pool } from 'pg';
import { SERVICE_SESSION_OPTIONS } from '@helpdesk/database';
import { createTestVhost, freePort } from '@helpdesk/testing';
import { formatMs } from '../events/stats';
import {
  GET_ONE,
  LIST_COUNT,
  LIST_PAGE,
  LIST_STATUS_COUNT,
  LIST_STATUS_PAGE,
  SEARCH_COUNT,
  SEARCH_PAGE,
} from './ceiling-sql';
import { startBareNginx } from './bare-nginx';
import { runPhase, type Phase, type PhaseResult } from './load';
import { cpuByGroup, cpuPerRequest, downstreamDrained } from './process-cpu';
import { DEFAULT_SEED, seed } from './seed';
import {
  callGateway,
  gatewayUrl,
  readState,
  repositoryRoot,
  stateFile,
  notificationDatabaseUrl,
  ticketDatabaseUrl,
  writeState,
  type BenchState,
  type TokenAnswer,
} from './state';

const settings = {
  seconds: Number(process.env['BENCH_SECONDS'] ?? 10),
  warmupSeconds: Number(process.env['BENCH_WARMUP_SECONDS'] ?? 2),
  /** Once, before the first phase: every selected read endpoint in turn, on the service and the ceiling. */
  jitWarmupSeconds: Number(process.env['BENCH_JIT_WARMUP_SECONDS'] ?? 10),
  connections: Number(process.env['BENCH_CONNECTIONS'] ?? 50),
  /** Comma-separated endpoint names (or parts of them) to run, e.g. `search,POST`; all when unset. */
  only: (process.env['BENCH_ONLY'] ?? '')
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean),
};

interface Target {
  perSecond?: number;
  p95Ms?: number;
}

interface Endpoint {
  name: string;
  target: Target;
  service: Omit<Phase, 'baseUrl' | 'seconds' | 'connections'>;
  ceiling: Omit<Phase, 'baseUrl' | 'seconds' | 'connections'>;
}

/** The gateway limits one client address to 50 r/s by default: a benchmark from loopback needs them raised. */
function checkGatewayLimits(): void {
  const config = path.join(repositoryRoot, '.run', 'gateway', 'nginx.conf');
  if (!fs.existsSync(config)) return;
  const text = fs.readFileSync(config, 'utf8');
  const rate = Number(/zone=api:\S+ rate=(\d+)r\/s/.exec(text)?.[1] ?? Number.POSITIVE_INFINITY);
  const connections = Number(
    /limit_conn connections_per_ip (\d+);/.exec(text)?.[1] ?? Number.POSITIVE_INFINITY,
  );
  if (rate < 20_000 || connections < settings.connections * 2)
    throw new Error(
      `the running gateway limits one client address to ${rate} r/s and ${connections} connections: every ` +
        'request past that is a 429. Restart it with raised limits:\n' +
        '  GATEWAY_API_RATE=100000r/s GATEWAY_API_BURST=100000 GATEWAY_CONNECTIONS_PER_IP=10000 npm start',
    );
}

/** A fresh access token: the stored one if it lasts the run, else refreshed (or a new login). */
async function freshToken(state: BenchState, neededMs: number): Promise<string> {
  if (Date.parse(state.admin.accessTokenExpiresAt) - Date.now() > neededMs)
    return state.admin.accessToken;
  let answer: TokenAnswer;
  try {
    answer = await callGateway<TokenAnswer>('POST', '/api/v1/auth/refresh', {
      refreshToken: state.admin.refreshToken,
    });
  } catch {
    answer = await callGateway<TokenAnswer>('POST', '/api/v1/auth/login', {
      organizationSlug: state.organization.slug,
      email: state.admin.email,
      password: state.admin.password,
    });
  }
  state.admin.accessToken = answer.accessToken;
  state.admin.refreshToken = answer.refreshToken;
  state.admin.accessTokenExpiresAt = new Date(Date.now() + answer.expiresIn * 1000).toISOString();
  writeState(state);
  return answer.accessToken;
}

function forkBareServer(env: Record<string, string>): Promise<ChildProcess> {
  const child = fork(path.join(__dirname, 'bare-server.ts'), [], {
    execArgv: ['-r', '@swc-node/register'],
    env: {
      ...process.env,
      SWC_NODE_PROJECT: path.join(repositoryRoot, 'tsconfig.base.json'),
      ...env,
    },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error('the bare server did not start within 30 s')),
      30_000,
    );
    child.once('message', () => {
      clearTimeout(timer);
      resolve(child);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the bare server exited with ${code}`));
    });
  });
}

/**
 * A phase's requests outlive it: autocannon stops sending, but what the
 * service had queued (a slow search, a COUNT) still runs. Wait until the
 * database is idle so that the next phase does not pay for the last one.
 */
async function settle(pool: Pool, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let quiet = 0;
  while (quiet < 3 && Date.now() < deadline) {
    const { rows } = await pool.query<{ active: string }>(
      `SELECT count(*) AS active FROM pg_stat_activity
        WHERE datname = current_database() AND state = 'active' AND pid <> pg_backend_pid()`,
    );
    quiet = Number(rows[0].active) === 0 ? quiet + 1 : 0;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Server-side cost of each statement, warm (median of 3 EXPLAIN ANALYZE runs, JIT included). */
async function statementCosts(
  pool: Pool,
  tenantId: string,
  word: string,
): Promise<Array<[string, number, number]>> {
  const statements: Array<[string, string, unknown[]]> = [
    ['list page (-createdAt, 20)', LIST_PAGE, [tenantId]],
    ['list total (count(*), remembered 2 s per filter)', LIST_COUNT, [tenantId]],
    ['status=open page', LIST_STATUS_PAGE, [tenantId, 'open']],
    ['status=open total', LIST_STATUS_COUNT, [tenantId, 'open']],
    ['one ticket by id', GET_ONE, [tenantId, randomUUID()]],
    [`search "${word}": page and total in one statement`, SEARCH_PAGE, [word, tenantId]],
    [`search "${word}": total alone (a page past the last)`, SEARCH_COUNT, [word, tenantId]],
  ];
  const costs: Array<[string, number, number]> = [];
  for (const [name, sql, parameters] of statements) {
    const runs: Array<{ total: number; jit: number }> = [];
    for (let i = 0; i < 3; i += 1) {
      const { rows } = await pool.query(`EXPLAIN (ANALYZE, FORMAT JSON) ${sql}`, parameters);
      const plan = (
        rows[0] as {
          'QUERY PLAN': Array<{ 'Execution Time': number; JIT?: { Timing: { Total: number } } }>;
        }
      )['QUERY PLAN'][0];
      runs.push({ total: plan['Execution Time'], jit: plan.JIT?.Timing.Total ?? 0 });
    }
    runs.sort((a, b) => a.total - b.total);
    costs.push([name, runs[1].total, runs[1].jit]);
  }
  return costs;
}

const fmt = (value: number) => (Number.isFinite(value) ? value.toFixed(0) : '-');

function verdict(result: PhaseResult, target: Target): string {
  const misses: string[] = [];
  if (target.perSecond !== undefined && result.perSecond < target.perSecond) misses.push('req/s');
  if (target.p95Ms !== undefined && result.latency.p95 >= target.p95Ms) misses.push('p95');
  if (result.errors > 0) misses.push('errors');
  return misses.length === 0 ? 'meets' : `misses ${misses.join(', ')}`;
}

/**
 * A service started just before the run answers its first phase with code V8 has not optimized
 * yet, and 2 s of warm-up do not cover that: right after `npm start`, GET /tickets/:id measured
 * 887 req/s, and 1,494 in the run after it, with the ceiling unchanged. So the read endpoints
 * are run in turn, on both sides, before anything is measured. Creates are left out: their
 * downstream work would still be running when the first phase starts.
 */
async function warmUpReads(reads: Endpoint[], serviceUrl: string, ceilingUrl: string) {
  if (settings.jitWarmupSeconds <= 0 || reads.length === 0) return;
  console.log(
    `warming up ${reads.length} read endpoint(s), ${settings.jitWarmupSeconds} s each side ...`,
  );
  const inTurn = (phases: Array<Endpoint['service']>) => {
    let turn = 0;
    return () => phases[turn++ % phases.length].next();
  };
  const services = reads.map((endpoint) => endpoint.service);
  const ceilings = reads.map((endpoint) => endpoint.ceiling);
  const common = { seconds: settings.jitWarmupSeconds, connections: settings.connections };
  await runPhase({
    ...common,
    baseUrl: serviceUrl,
    headers: services[0].headers,
    next: inTurn(services),
  });
  await runPhase({ ...common, baseUrl: ceilingUrl, next: inTurn(ceilings) });
}

const describeTarget = (target: Target) =>
  [
    target.perSecond ? `≥ ${target.perSecond.toLocaleString('en')} req/s` : '',
    target.p95Ms ? `p95 < ${target.p95Ms} ms` : '',
    '0 errors',
  ]
    .filter(Boolean)
    .join(', ');

async function main(): Promise<void> {
  checkGatewayLimits();
  const state =
    readState() ?? (console.log(`no ${stateFile}: seeding first`), await seed(DEFAULT_SEED));
  const phases = 5 * 2; // at most: BENCH_ONLY may run fewer
  const token = await freshToken(
    state,
    (phases * (settings.seconds + settings.warmupSeconds) + 2 * settings.jitWarmupSeconds + 120) *
      1000,
  );
  const tenantId = state.organization.id;
  const pool = new Pool({
    connectionString: ticketDatabaseUrl,
    max: 2,
    // The statement costs below are the service's: same session settings.
    options: SERVICE_SESSION_OPTIONS,
  });
  const notifications = new Pool({ connectionString: notificationDatabaseUrl, max: 1 });
  const vhost = await createTestVhost({ prefix: 'benchtickets' });
  const ceilingTenant = randomUUID();
  const cleanups: Array<() => Promise<unknown>> = [];
  try {
    const { rows: idRows } = await pool.query<{ id: string }>(
      'SELECT id FROM ticket WHERE tenant_id = $1 AND number <= $2 ORDER BY random() LIMIT 10000',
      [tenantId, state.seeded.tickets],
    );
    const ids = idRows.map((row) => row.id);
    const { rows: versionRows } = await pool.query<{ server_version: string }>(
      'SHOW server_version',
    );
    const { rows: countRows } = await pool.query<{ count: string }>(
      'SELECT count(*) FROM ticket WHERE tenant_id = $1',
      [tenantId],
    );

    // The ceiling's broker side: a throwaway vhost with a topic exchange and a bound quorum queue (as the app's consumers use).
    const exchange = 'ticket.events';
    const setup = await amqplib.connect(vhost.url);
    const channel = await setup.createChannel();
    await channel.assertExchange(exchange, 'topic', { durable: true });
    await channel.assertQueue('bench.ticket-events', {
      durable: true,
      arguments: { 'x-queue-type': 'quorum' },
    });
    await channel.bindQueue('bench.ticket-events', exchange, 'ticket.#');
    await setup.close();

    const barePort = await freePort();
    const bare = await forkBareServer({
      BARE_PORT: String(barePort),
      BARE_DATABASE_URL: ticketDatabaseUrl,
      BARE_AMQP_URL: vhost.url,
      BARE_EXCHANGE: exchange,
      BARE_READ_TENANT: tenantId,
      BARE_WRITE_TENANT: ceilingTenant,
      BARE_REQUESTER: state.admin.id,
    });
    cleanups.push(
      () =>
        new Promise((resolve) => {
          if (bare.exitCode !== null) return resolve(undefined);
          bare.once('exit', resolve);
          bare.kill('SIGTERM');
        }),
    );
    const nginx = await startBareNginx(await freePort(), barePort);
    cleanups.push(() => nginx.stop());

    console.log(`measuring statement costs (EXPLAIN ANALYZE, warm) ...`);
    const costs = await statementCosts(pool, tenantId, state.searchWords[0]);

    const auth = { authorization: `Bearer ${token}` };
    let counter = 0;
    const pickId = () => ids[Math.floor(Math.random() * ids.length)];
    const word = () => state.searchWords[counter++ % state.searchWords.length];
    const createBody = () => {
      counter += 1;
      return JSON.stringify({
        // No search word (SEARCH_WORDS) in it: creates must not change what the search phase finds.
        title: `Label maker on floor ${counter % 9} jams (bench ${counter})`,
        description:
          'The label maker jams on every second label since this morning; restarting it did not help.',
        priority: ['low', 'normal', 'high', 'urgent'][counter % 4],
        tags: ['hardware', 'bench'],
      });
    };
    const endpoints: Endpoint[] = [
      {
        name: 'GET /tickets',
        target: { perSecond: 3000, p95Ms: 30 },
        service: { headers: auth, next: () => ({ path: '/api/v1/tickets' }) },
        ceiling: { next: () => ({ path: '/tickets' }) },
      },
      {
        name: 'GET /tickets?status=open',
        target: { perSecond: 3000, p95Ms: 30 },
        service: { headers: auth, next: () => ({ path: '/api/v1/tickets?status=open' }) },
        ceiling: { next: () => ({ path: '/tickets?status=open' }) },
      },
      {
        name: 'GET /tickets/:id',
        target: { perSecond: 3000, p95Ms: 30 },
        service: { headers: auth, next: () => ({ path: `/api/v1/tickets/${pickId()}` }) },
        ceiling: { next: () => ({ path: `/tickets/${pickId()}` }) },
      },
      {
        name: 'GET /search/tickets?q=',
        target: { p95Ms: 100 },
        service: { headers: auth, next: () => ({ path: `/api/v1/search/tickets?q=${word()}` }) },
        ceiling: { next: () => ({ path: `/search/tickets?q=${word()}` }) },
      },
      {
        name: 'POST /tickets',
        target: { perSecond: 1500, p95Ms: 50 },
        service: {
          method: 'POST',
          headers: auth,
          next: () => ({ path: '/api/v1/tickets', body: createBody() }),
        },
        ceiling: { method: 'POST', next: () => ({ path: '/tickets', body: createBody() }) },
      },
    ];

    const rows: Array<{ endpoint: Endpoint; service: PhaseResult; ceiling: PhaseResult }> = [];
    const cpuRows: Array<{ endpoint: string; what: string; cpu: Array<[string, number]> }> = [];
    const selected = endpoints.filter(
      ({ name }) => settings.only.length === 0 || settings.only.some((part) => name.includes(part)),
    );
    await warmUpReads(
      selected.filter((endpoint) => endpoint.service.method === undefined),
      gatewayUrl,
      nginx.url,
    );
    for (const endpoint of selected) {
      const measure = async (phase: Endpoint['service'], baseUrl: string, what: string) => {
        if (settings.warmupSeconds > 0) {
          await runPhase({
            ...phase,
            baseUrl,
            seconds: settings.warmupSeconds,
            connections: settings.connections,
          });
          await settle(pool);
          await downstreamDrained(notifications);
        }
        const cpuBefore = cpuByGroup();
        const result = await runPhase({
          ...phase,
          baseUrl,
          seconds: settings.seconds,
          connections: settings.connections,
        });
        await settle(pool);
        // A create wakes the audit and notification consumers (and mail) after it is answered.
        const drained = await downstreamDrained(notifications);
        const cpu = cpuPerRequest(cpuBefore, cpuByGroup(), result.requests);
        console.log(
          `  ${endpoint.name.padEnd(24)} ${what.padEnd(8)} ${fmt(result.perSecond).padStart(6)} req/s  p50 ${formatMs(result.latency.p50)}  ` +
            `p95 ${formatMs(result.latency.p95)}  p99 ${formatMs(result.latency.p99)}  errors ${result.errors}` +
            (result.errors > 0 ? ` ${JSON.stringify(result.failures)}` : ''),
        );
        const cpuLine = cpu.map(([group, ms]) => `${group} ${ms.toFixed(2)}`).join(', ');
        console.log(
          `  ${''.padEnd(24)} ${''.padEnd(8)} CPU ms per request: ${cpuLine}` +
            (drained ? '' : ' (downstream had not drained: some of its work is missing)'),
        );
        cpuRows.push({ endpoint: endpoint.name, what, cpu });
        return result;
      };
      const service = await measure(endpoint.service, gatewayUrl, 'service');
      const ceiling = await measure(endpoint.ceiling, nginx.url, 'ceiling');
      rows.push({ endpoint, service, ceiling });
    }

    const lines = [
      '',
      `tickets benchmark — ${new Date().toISOString()} — node ${process.version}, PostgreSQL ${versionRows[0].server_version}, 2 cores shared by everything`,
      `organization ${state.organization.slug}: ${countRows[0].count} tickets (${state.seeded.tickets} seeded), ${state.seeded.comments} seeded comments; ` +
        `${settings.connections} connections, ${settings.seconds} s per phase after ${settings.warmupSeconds} s warm-up, loopback`,
      'ceiling = nginx (keepalive 64) → bare node:http → the same SQL (reads: the page query only; creates: INSERT + confirmed persistent publish)',
      '',
      '| endpoint | req/s | p50 | p95 | p99 | errors | ceiling req/s | ceiling p95 | ratio | target | |',
      '|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---|',
      ...rows.map(
        ({ endpoint, service, ceiling }) =>
          `| ${endpoint.name} | ${fmt(service.perSecond)} | ${formatMs(service.latency.p50)} | ${formatMs(service.latency.p95)} | ` +
          `${formatMs(service.latency.p99)} | ${service.errors} | ${fmt(ceiling.perSecond)} | ${formatMs(ceiling.latency.p95)} | ` +
          `${((service.perSecond / ceiling.perSecond) * 100).toFixed(1)}% | ${describeTarget(endpoint.target)} | ${verdict(service, endpoint.target)} |`,
      ),
      '',
      'CPU per request, by process group (ms; /proc utime+stime from the phase start until the broker and the e-mail queue drained; bench = autocannon):',
      ...cpuRows.map(
        ({ endpoint, what, cpu }) =>
          `  ${endpoint} (${what}): total ${cpu.reduce((sum, [, ms]) => sum + ms, 0).toFixed(2)} — ` +
          cpu.map(([group, ms]) => `${group} ${ms.toFixed(2)}`).join(', '),
      ),
      '',
      'database time per statement (EXPLAIN ANALYZE, median of 3, one at a time):',
      ...costs.map(
        ([name, ms, jit]) =>
          `  ${formatMs(ms).padStart(9)}  ${name}${jit > 0 ? ` (JIT ${formatMs(jit)} of it)` : ''}`,
      ),
    ];
    console.log(lines.join('\n'));
  } finally {
    for (const cleanup of cleanups.reverse())
      await cleanup().catch((error: unknown) => console.error(error));
    await settle(pool).catch(() => undefined);
    await pool
      .query('DELETE FROM ticket WHERE tenant_id = $1', [ceilingTenant])
      .catch((error: unknown) => console.error(error));
    // The benchmark organization keeps its seeded size from run to run: the creates go again.
    await pool
      .query('DELETE FROM ticket WHERE tenant_id = $1 AND number > $2', [
        state.organization.id,
        state.seeded.tickets,
      ])
      .catch((error: unknown) => console.error(error));
    await pool.end();
    await notifications.end();
    await vhost.drop().catch((error: unknown) => console.error(error));
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
