/**
 * `npm run bench:pipeline` — how long after a ticket's 201 is it (a) in the
 * audit trail and (b) accepted by the SMTP server as the requester's receipt?
 *
 * Needs `npm start` running with the gateway's per-address limits raised (one
 * load generator is one client address):
 *   GATEWAY_API_RATE=100000r/s GATEWAY_API_BURST=100000 GATEWAY_CONNECTIONS_PER_IP=10000 npm start
 *
 * Open loop: tickets are created at a steady rate whatever the answers take.
 * Times come from the services' own records on this machine's clock:
 * audit_entry.recorded_at, and email.sent_at (set when the SMTP server accepted
 * the message). A rate "keeps up" when the last fifth of its tickets waits no
 * longer than the first fifth (p95, with 250 ms of slack): lag does not grow.
 *
 * BENCH_RATES (default 20,50,100,150), BENCH_SECONDS (10), BENCH_GATEWAY_URL,
 * AUDIT_SERVICE_DATABASE_URL, NOTIFICATION_SERVICE_DATABASE_URL.
 */
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { formatMs, summarize, type LatencySummary } from '../events/stats';

const gatewayUrl = (process.env['BENCH_GATEWAY_URL'] ?? 'http://127.0.0.1:8080').replace(/\/$/, '');
const auditUrl =
  process.env['AUDIT_SERVICE_DATABASE_URL'] ??
  'postgres://helpdesk:helpdesk@127.0.0.1:5432/helpdesk_audit';
const notificationUrl =
  process.env['NOTIFICATION_SERVICE_DATABASE_URL'] ??
  'postgres://helpdesk:helpdesk@127.0.0.1:5432/helpdesk_notification';
const rates = (process.env['BENCH_RATES'] ?? '20,50,100,150').split(',').map(Number);
const seconds = Number(process.env['BENCH_SECONDS'] ?? 10);
const DRAIN_DEADLINE_MS = 120_000;

interface Created {
  ticketId: string;
  answeredAt: number;
}

async function call<T>(
  method: string,
  route: string,
  body: unknown,
  token?: string,
): Promise<{ status: number; body: T }> {
  const response = await fetch(`${gatewayUrl}${route}`, {
    method,
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json().catch(() => ({}))) as T };
}

async function signUp(): Promise<{ token: string; organizationId: string }> {
  const slug = `bench-pipeline-${randomUUID().slice(0, 8)}`;
  const answer = await call<{ accessToken: string; organization: { id: string } }>(
    'POST',
    '/api/v1/auth/signup',
    {
      organizationName: 'Pipeline bench',
      organizationSlug: slug,
      name: 'Bench Requester',
      email: `requester@${slug}.test`,
      password: 'pipeline bench passphrase',
    },
  );
  if (answer.status !== 201)
    throw new Error(`signup answered ${answer.status}: ${JSON.stringify(answer.body)}`);
  return { token: answer.body.accessToken, organizationId: answer.body.organization.id };
}

/** Creates tickets at `rate` per second for `seconds`, never waiting for an answer before the next. */
async function load(token: string, rate: number): Promise<{ created: Created[]; errors: number }> {
  const created: Created[] = [];
  let errors = 0;
  const total = Math.round(rate * seconds);
  const start = performance.now();
  const inFlight: Promise<void>[] = [];
  for (let index = 0; index < total; index += 1) {
    const due = start + (index * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    inFlight.push(
      call<{ id: string }>(
        'POST',
        '/api/v1/tickets',
        { title: `Pipeline ${rate}/s #${index}`, description: 'bench' },
        token,
      ).then(
        (answer) => {
          if (answer.status === 201)
            created.push({ ticketId: answer.body.id, answeredAt: Date.now() });
          else errors += 1;
        },
        () => {
          errors += 1;
        },
      ),
    );
  }
  await Promise.all(inFlight);
  return { created, errors };
}

/** Polls both services' databases until every ticket is audited and receipted (or the deadline). */
async function arrivals(
  organizationId: string,
  created: Created[],
): Promise<{ audit: Map<string, number>; mail: Map<string, number> }> {
  const audit = new Client({ connectionString: auditUrl });
  const notification = new Client({ connectionString: notificationUrl });
  await Promise.all([audit.connect(), notification.connect()]);
  const ids = created.map((ticket) => ticket.ticketId);
  const deadline = Date.now() + DRAIN_DEADLINE_MS;
  try {
    for (;;) {
      const audited = await audit.query<{ entity_id: string; event_id: string; recorded_at: Date }>(
        `SELECT entity_id, event_id, recorded_at FROM audit_entry
          WHERE tenant_id = $1 AND event_type = 'ticket.created' AND entity_id = ANY($2::text[])`,
        [organizationId, ids],
      );
      const ticketOfEvent = new Map(audited.rows.map((row) => [row.event_id, row.entity_id]));
      const sent = await notification.query<{ event_id: string; sent_at: Date }>(
        `SELECT event_id, sent_at FROM email WHERE tenant_id = $1 AND status = 'sent' AND event_id = ANY($2::uuid[])`,
        [organizationId, [...ticketOfEvent.keys()]],
      );
      const mail = new Map<string, number>();
      for (const row of sent.rows) {
        const ticketId = ticketOfEvent.get(row.event_id);
        if (ticketId)
          mail.set(ticketId, Math.min(mail.get(ticketId) ?? Infinity, row.sent_at.getTime()));
      }
      const auditTimes = new Map(
        audited.rows.map((row) => [row.entity_id, row.recorded_at.getTime()]),
      );
      if ((auditTimes.size === ids.length && mail.size === ids.length) || Date.now() > deadline)
        return { audit: auditTimes, mail };
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  } finally {
    await Promise.all([audit.end(), notification.end()]);
  }
}

function lags(created: Created[], arrived: Map<string, number>): number[] {
  return created.flatMap((ticket) => {
    const at = arrived.get(ticket.ticketId);
    return at === undefined ? [] : [Math.max(0, at - ticket.answeredAt)];
  });
}

function keepsUp(created: Created[], arrived: Map<string, number>): boolean {
  const ordered = [...created].sort((a, b) => a.answeredAt - b.answeredAt);
  const fifth = Math.max(1, Math.floor(ordered.length / 5));
  const first = summarize(lags(ordered.slice(0, fifth), arrived)).p95;
  const last = summarize(lags(ordered.slice(-fifth), arrived)).p95;
  return arrived.size === created.length && last <= first + 250;
}

const row = (label: string, summary: LatencySummary, complete: string) =>
  `  ${label.padEnd(7)} ${complete.padEnd(11)} p50 ${formatMs(summary.p50).padStart(9)}  p95 ${formatMs(summary.p95).padStart(9)}  p99 ${formatMs(summary.p99).padStart(9)}  max ${formatMs(summary.max).padStart(9)}`;

async function main(): Promise<void> {
  console.log(
    `pipeline benchmark through ${gatewayUrl}: ${seconds} s per rate, rates ${rates.join(', ')} tickets/s`,
  );
  const kept: number[] = [];
  for (const rate of rates) {
    const { token, organizationId } = await signUp();
    const { created, errors } = await load(token, rate);
    const { audit, mail } = await arrivals(organizationId, created);
    const auditUp = keepsUp(created, audit);
    const mailUp = keepsUp(created, mail);
    if (auditUp && mailUp && errors === 0) kept.push(rate);
    console.log(
      `${rate} tickets/s: ${created.length} created, ${errors} errors; keeps up: audit ${auditUp ? 'yes' : 'NO'}, e-mail ${mailUp ? 'yes' : 'NO'}`,
    );
    console.log(row('audit', summarize(lags(created, audit)), `${audit.size}/${created.length}`));
    console.log(row('e-mail', summarize(lags(created, mail)), `${mail.size}/${created.length}`));
  }
  console.log(
    `highest rate where both keep up: ${kept.length ? Math.max(...kept) : 'none'} tickets/s`,
  );
  console.log(
    'targets: keeps up with 100 tickets/s; at 20 tickets/s p95 to audit < 500 ms, to e-mail < 2 s',
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
