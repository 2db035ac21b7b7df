/**
 * CPU time by process group, read from /proc: where a phase's work went on
 * this shared 2-core box — the service, the services its events wake up, the
 * database, the broker, the gateway, the load generator (this process).
 */
import * as fs from 'node:fs';
import type { Pool } from 'pg';

/** Clock ticks per second of /proc/<pid>/stat's utime and stime (USER_HZ, 100 on Linux). */
const TICKS_PER_SECOND = 100;

/** A process's group, from its command line; undefined for processes the benchmark ignores. */
function groupOf(commandLine: string): string | undefined {
  const app = /dist\/apps\/([a-z0-9-]+)\/main\.js/.exec(commandLine);
  if (app) return app[1];
  if (commandLine.includes('maildev')) return 'maildev';
  if (commandLine.startsWith('postgres')) return 'postgres';
  if (commandLine.includes('beam.smp')) return 'rabbitmq';
  if (commandLine.startsWith('nginx')) return 'nginx';
  if (commandLine.includes('bare-server')) return 'bare-server';
  return undefined;
}

/** CPU milliseconds each process has used so far, with its group; `bench` is this process (autocannon). */
export function cpuByGroup(): Map<string, { group: string; ms: number }> {
  const processes = new Map<string, { group: string; ms: number }>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const commandLine = fs
        .readFileSync(`/proc/${entry}/cmdline`, 'utf8')
        .replace(/\0/g, ' ')
        .trim();
      const group = groupOf(commandLine);
      if (!group) continue;
      // Fields after the command name, which is in parentheses and may hold spaces.
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const ticks = Number(fields[11]) + Number(fields[12]); // utime, stime
      // The start time tells a pid reused by a new process from the one read before.
      processes.set(`${entry}@${fields[19]}`, { group, ms: (ticks * 1000) / TICKS_PER_SECOND });
    } catch {
      // The process ended while we looked.
    }
  }
  const own = process.cpuUsage();
  processes.set('bench', { group: 'bench', ms: (own.user + own.system) / 1000 });
  return processes;
}

/**
 * What each group spent between two readings, per request, largest first.
 * Per process: one that started meanwhile counts whole; one that ended
 * meanwhile (a short-lived database backend) is missing from both ends.
 */
export function cpuPerRequest(
  before: ReturnType<typeof cpuByGroup>,
  after: ReturnType<typeof cpuByGroup>,
  requests: number,
): Array<[string, number]> {
  const groups = new Map<string, number>();
  for (const [key, { group, ms }] of after)
    groups.set(group, (groups.get(group) ?? 0) + ms - (before.get(key)?.ms ?? 0));
  return [...groups]
    .map(([group, ms]): [string, number] => [group, ms / Math.max(requests, 1)])
    .filter(([, ms]) => ms >= 0.01)
    .sort((a, b) => b[1] - a[1]);
}

/**
 * Waits until what a phase set off downstream is done: the broker's queues on
 * vhost `/` are empty and notification-service has no e-mail waiting to be
 * sent (its own queue, in its database). Its cost is then in this phase's
 * reading and not in the next phase. Gives up after `timeoutMs`.
 */
export async function downstreamDrained(
  notifications: Pool,
  managementUrl = 'http://127.0.0.1:15672',
  timeoutMs = 180_000,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  const authorization = `Basic ${Buffer.from('guest:guest').toString('base64')}`;
  for (;;) {
    const response = await fetch(`${managementUrl}/api/queues/%2F`, { headers: { authorization } });
    const queues = (await response.json()) as Array<{ messages?: number }>;
    const { rows } = await notifications.query<{ waiting: string }>(
      "SELECT count(*) AS waiting FROM email WHERE status IN ('queued', 'sending')",
    );
    if (queues.every((queue) => (queue.messages ?? 0) === 0) && Number(rows[0]?.waiting) === 0)
      return true;
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}
