/**
 * Seeds ticket-service's database for the tickets benchmark (issue: 100,000
 * tickets in one organization):
 *
 *   npm run seed:tickets -- --tickets 100000 --comments 2 --other-orgs 3
 *
 * 1. Signs up a NEW organization through the gateway (user-service's public
 *    API), so that the benchmark holds a real admin token; signs up the
 *    `--other-orgs` ones the same way (other tenants in the same tables).
 * 2. Waits until ticket-service's directory replica has each organization and
 *    its admin (they arrive as events through RabbitMQ).
 * 3. Inserts agents, managers, requesters and departments straight into the
 *    replica tables (`directory_user`, `directory_department`): they own the
 *    seeded tickets and comments but have no login in user-service.
 * 4. Inserts tickets (numbers 1..N in creation order, `ticket_counter` = N)
 *    and comments straight into ticket-service's tables, in batches of
 *    multi-row `INSERT … SELECT FROM unnest(…)`; the database's own triggers
 *    fill the search vectors. Then `VACUUM (ANALYZE)`.
 *
 * Seeded history is NOT announced as events: nothing goes through the
 * outbox, so audit, notification and analytics services never hear of these
 * tickets — only the signups are real, evented changes.
 *
 * Writes `.run/bench-tickets.json` (organization, admin login and tokens,
 * counts, search words) for `npm run bench:tickets`.
 */
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { Pool, type PoolClient } from 'pg';
import {
  creationTimes,
  makePeople,
  makeTicket,
  SEARCH_WORDS,
  seededRandom,
  type CommentRow,
  type People,
  type Random,
  type TicketRow,
} from './data';
import {
  callGateway,
  gatewayUrl,
  stateFile,
  ticketDatabaseUrl,
  writeState,
  type BenchState,
  type TokenAnswer,
} from './state';

export interface SeedOptions {
  tickets: number;
  comments: number;
  otherOrgs: number;
  otherOrgTickets: number;
  agents: number;
  requesters: number;
  batch: number;
  parallel: number;
  replicaTimeoutMs: number;
}

export const DEFAULT_SEED: SeedOptions = {
  tickets: 100_000,
  comments: 2,
  otherOrgs: 3,
  otherOrgTickets: 3_000,
  agents: 25,
  requesters: 2_000,
  batch: 2_000,
  parallel: 2,
  replicaTimeoutMs: 60_000,
};

interface Organization {
  id: string;
  slug: string;
  name: string;
  admin: TokenAnswer;
  email: string;
  password: string;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function signUp(slug: string, name: string): Promise<Organization> {
  const email = `admin@${slug}.bench.test`;
  const password = randomBytes(18).toString('base64url');
  const answer = await callGateway<TokenAnswer>('POST', '/api/v1/auth/signup', {
    organizationName: name,
    organizationSlug: slug,
    name: 'Bench Admin',
    email,
    password,
  });
  if (!answer.organization) throw new Error('signup answered without an organization');
  return { ...answer.organization, admin: answer, email, password };
}

/** The replica is fed by events: poll until the organization and its admin are there, or fail at the deadline. */
async function waitForReplica(
  pool: Pool,
  organization: Organization,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { rows } = await pool.query<{ organization: boolean; admin: boolean }>(
      `SELECT EXISTS (SELECT 1 FROM directory_organization WHERE id = $1) AS organization,
              EXISTS (SELECT 1 FROM directory_user WHERE id = $2 AND tenant_id = $1 AND role = 'admin') AS admin`,
      [organization.id, organization.admin.user.id],
    );
    if (rows[0].organization && rows[0].admin) return;
    if (Date.now() > deadline)
      throw new Error(
        `ticket-service's replica has no ${rows[0].organization ? 'admin' : 'organization'} for ${organization.slug} ` +
          `after ${timeoutMs} ms: are ticket-service's consumer and user-service's relay running (npm start)?`,
      );
    await sleep(200);
  }
}

async function insertPeople(client: PoolClient, tenantId: string, people: People): Promise<number> {
  const departments = [...people.departments.entries()];
  await client.query(
    `INSERT INTO directory_department (id, tenant_id, name, deleted_at, version)
     SELECT id, $1, name, NULL, 1 FROM unnest($2::uuid[], $3::text[]) AS d(id, name)`,
    [tenantId, departments.map(([, id]) => id), departments.map(([name]) => name)],
  );
  const users = [...people.staff, ...people.requesters];
  await client.query(
    `INSERT INTO directory_user (id, tenant_id, email, name, role, department_id, active, deleted_at, version)
     SELECT id, $1, email, name, role, department_id, true, NULL, 1
       FROM unnest($2::uuid[], $3::text[], $4::text[], $5::text[], $6::uuid[]) AS u(id, email, name, role, department_id)`,
    [
      tenantId,
      users.map((user) => user.id),
      users.map((user) => user.email),
      users.map((user) => user.name),
      users.map((user) => user.role),
      users.map((user) => user.departmentId),
    ],
  );
  return users.length;
}

const column = <T, K extends keyof T>(rows: T[], key: K): Array<T[K]> =>
  rows.map((row) => row[key]);

async function insertBatch(
  client: PoolClient,
  tenantId: string,
  tickets: TicketRow[],
  comments: CommentRow[],
): Promise<void> {
  await client.query('BEGIN');
  try {
    await client.query(
      `INSERT INTO ticket (id, tenant_id, number, title, description, status, priority, priority_rank, tags,
                           requester_id, assignee_id, department_id, created_at, updated_at, first_response_at,
                           resolved_at, closed_at, sla_clocks, first_response_due_at, resolution_due_at,
                           first_response_breached, resolution_breached, version)
       SELECT id, $1, number, title, description, status, priority, priority_rank, tags::text[],
              requester_id, assignee_id, department_id, created_at, updated_at, first_response_at,
              resolved_at, closed_at, sla_clocks::jsonb, first_response_due_at, resolution_due_at,
              first_response_breached, resolution_breached, version
         FROM unnest($2::uuid[], $3::int[], $4::text[], $5::text[], $6::text[], $7::text[], $8::smallint[], $9::text[],
                     $10::uuid[], $11::uuid[], $12::uuid[], $13::timestamptz[], $14::timestamptz[], $15::timestamptz[],
                     $16::timestamptz[], $17::timestamptz[], $18::text[], $19::timestamptz[], $20::timestamptz[],
                     $21::boolean[], $22::boolean[], $23::int[])
           AS t(id, number, title, description, status, priority, priority_rank, tags,
                requester_id, assignee_id, department_id, created_at, updated_at, first_response_at,
                resolved_at, closed_at, sla_clocks, first_response_due_at, resolution_due_at,
                first_response_breached, resolution_breached, version)`,
      [
        tenantId,
        column(tickets, 'id'),
        column(tickets, 'number'),
        column(tickets, 'title'),
        column(tickets, 'description'),
        column(tickets, 'status'),
        column(tickets, 'priority'),
        column(tickets, 'priorityRank'),
        column(tickets, 'tags'),
        column(tickets, 'requesterId'),
        column(tickets, 'assigneeId'),
        column(tickets, 'departmentId'),
        column(tickets, 'createdAt'),
        column(tickets, 'updatedAt'),
        column(tickets, 'firstResponseAt'),
        column(tickets, 'resolvedAt'),
        column(tickets, 'closedAt'),
        column(tickets, 'slaClocks'),
        column(tickets, 'firstResponseDueAt'),
        column(tickets, 'resolutionDueAt'),
        column(tickets, 'firstResponseBreached'),
        column(tickets, 'resolutionBreached'),
        column(tickets, 'version'),
      ],
    );
    if (comments.length > 0)
      await client.query(
        `INSERT INTO comment (id, tenant_id, ticket_id, author_id, body, internal, created_at)
         SELECT id, $1, ticket_id, author_id, body, internal, created_at
           FROM unnest($2::uuid[], $3::uuid[], $4::uuid[], $5::text[], $6::boolean[], $7::timestamptz[])
             AS c(id, ticket_id, author_id, body, internal, created_at)`,
        [
          tenantId,
          column(comments, 'id'),
          column(comments, 'ticketId'),
          column(comments, 'authorId'),
          column(comments, 'body'),
          column(comments, 'internal'),
          column(comments, 'createdAt'),
        ],
      );
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

/** All tickets of one organization: the counter first, then `parallel` connections inserting batches. */
async function seedOrganization(
  pool: Pool,
  organization: Organization,
  random: Random,
  options: SeedOptions,
  sizes: { tickets: number; agents: number; requesters: number },
  progress?: (done: number) => void,
): Promise<{ tickets: number; comments: number; users: number }> {
  const setup = await pool.connect();
  let users: number;
  try {
    const { rows } = await setup.query<{ count: string }>(
      'SELECT count(*) FROM ticket WHERE tenant_id = $1',
      [organization.id],
    );
    if (Number(rows[0].count) > 0)
      throw new Error(
        `${organization.slug} already has tickets; the seed only fills new organizations`,
      );
    await setup.query('BEGIN');
    const people = makePeople(
      random,
      `${organization.slug}.bench.test`,
      sizes.agents,
      sizes.requesters,
    );
    users = await insertPeople(setup, organization.id, people);
    await setup.query(
      `INSERT INTO ticket_counter (tenant_id, last_number) VALUES ($1, $2)
       ON CONFLICT (tenant_id) DO UPDATE SET last_number = GREATEST(ticket_counter.last_number, EXCLUDED.last_number)`,
      [organization.id, sizes.tickets],
    );
    await setup.query('COMMIT');

    const now = Date.now();
    const times = creationTimes(random, sizes.tickets, now);
    let next = 0;
    let comments = 0;
    let done = 0;
    await Promise.all(
      Array.from({ length: options.parallel }, async () => {
        const client = await pool.connect();
        try {
          while (next < sizes.tickets) {
            const start = next;
            const end = Math.min(sizes.tickets, start + options.batch);
            next = end;
            const ticketRows: TicketRow[] = [];
            const commentRows: CommentRow[] = [];
            for (let i = start; i < end; i += 1) {
              const made = makeTicket(random, people, {
                number: i + 1,
                createdAt: times[i],
                now,
                comments: options.comments,
              });
              ticketRows.push(made.ticket);
              for (const comment of made.comments) commentRows.push(comment);
            }
            await insertBatch(client, organization.id, ticketRows, commentRows);
            comments += commentRows.length;
            done += ticketRows.length;
            progress?.(done);
          }
        } finally {
          client.release();
        }
      }),
    );
    return { tickets: sizes.tickets, comments, users };
  } finally {
    setup.release();
  }
}

export async function seed(options: SeedOptions = DEFAULT_SEED): Promise<BenchState> {
  const started = performance.now();
  const elapsed = () => ((performance.now() - started) / 1000).toFixed(1);
  const pool = new Pool({ connectionString: ticketDatabaseUrl, max: options.parallel + 1 });
  try {
    const stamp = Date.now().toString(36);
    const main = await signUp(`bench-${stamp}`, `Bench ${stamp}`);
    const others: Organization[] = [];
    for (let i = 1; i <= options.otherOrgs; i += 1)
      others.push(await signUp(`bench-${stamp}-other-${i}`, `Bench ${stamp} other ${i}`));
    console.log(
      `seed: signed up ${1 + others.length} organization(s) through ${gatewayUrl} (${elapsed()} s)`,
    );
    for (const organization of [main, ...others])
      await waitForReplica(pool, organization, options.replicaTimeoutMs);
    console.log(`seed: ticket-service's replica has them (${elapsed()} s)`);

    const random = seededRandom(0x7ec4e7);
    let lastPrinted = 0;
    const seeded = await seedOrganization(
      pool,
      main,
      random,
      options,
      { tickets: options.tickets, agents: options.agents, requesters: options.requesters },
      (done) => {
        if (done - lastPrinted >= 20_000 || done === options.tickets) {
          lastPrinted = done;
          console.log(`seed: ${main.slug}: ${done} tickets (${elapsed()} s)`);
        }
      },
    );
    const otherResults: BenchState['seeded']['otherOrganizations'] = [];
    let directoryUsers = seeded.users;
    for (const organization of others) {
      const result = await seedOrganization(pool, organization, random, options, {
        tickets: options.otherOrgTickets,
        agents: Math.max(2, Math.round(options.agents / 5)),
        requesters: Math.max(10, Math.round(options.requesters / 10)),
      });
      directoryUsers += result.users;
      otherResults.push({
        id: organization.id,
        slug: organization.slug,
        tickets: result.tickets,
        comments: result.comments,
      });
    }
    if (others.length > 0)
      console.log(
        `seed: ${others.length} other organization(s), ${options.otherOrgTickets} tickets each (${elapsed()} s)`,
      );
    // ANALYZE for the planner; VACUUM too, so the visibility map is set (index-only scans), the
    // GIN pending lists are merged and dead row versions are gone — the steady state autovacuum
    // reaches a minute later anyway. The whole database, not a list of tables: the triggers write
    // tables the seed never names (each comment batch rewrites its tickets' ticket_search
    // documents, which left half that table dead and searches visiting twice the pages).
    await pool.query('VACUUM (ANALYZE)');
    const elapsedSeconds = Number(elapsed());

    const state: BenchState = {
      createdAt: new Date().toISOString(),
      gatewayUrl,
      organization: { id: main.id, slug: main.slug, name: main.name },
      admin: {
        id: main.admin.user.id,
        email: main.email,
        password: main.password,
        accessToken: main.admin.accessToken,
        refreshToken: main.admin.refreshToken,
        accessTokenExpiresAt: new Date(Date.now() + main.admin.expiresIn * 1000).toISOString(),
      },
      seeded: {
        tickets: seeded.tickets,
        comments: seeded.comments,
        directoryUsers,
        otherOrganizations: otherResults,
        elapsedSeconds,
      },
      searchWords: SEARCH_WORDS,
    };
    writeState(state);
    const otherTickets = otherResults.reduce((sum, other) => sum + other.tickets, 0);
    const otherComments = otherResults.reduce((sum, other) => sum + other.comments, 0);
    console.log(
      [
        `seed: done in ${elapsedSeconds} s (VACUUM ANALYZE included); seeded rows are not announced as events (no outbox)`,
        `  organization  ${main.slug}  ${main.id}  (login: ${main.email}, password and tokens in ${stateFile})`,
        `  tickets       ${seeded.tickets} (+ ${otherTickets} in ${otherResults.length} other organization(s))`,
        `  comments      ${seeded.comments} (+ ${otherComments})`,
        `  directory     ${directoryUsers} users inserted into directory_user (agents, managers, requesters; no logins)`,
      ].join('\n'),
    );
    return state;
  } finally {
    await pool.end();
  }
}

function optionsFrom(argv: string[]): SeedOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      tickets: { type: 'string' },
      comments: { type: 'string' },
      'other-orgs': { type: 'string' },
      'other-org-tickets': { type: 'string' },
      agents: { type: 'string' },
      requesters: { type: 'string' },
      batch: { type: 'string' },
      parallel: { type: 'string' },
    },
  });
  const count = (
    value: string | undefined,
    fallback: number,
    name: string,
    minimum = 0,
  ): number => {
    if (value === undefined) return fallback;
    const parsed = Number(value);
    if (!Number.isInteger(parsed) || parsed < minimum)
      throw new Error(`--${name} must be an integer >= ${minimum}, got ${value}`);
    return parsed;
  };
  return {
    ...DEFAULT_SEED,
    tickets: count(values.tickets, DEFAULT_SEED.tickets, 'tickets', 1),
    comments: count(values.comments, DEFAULT_SEED.comments, 'comments'),
    otherOrgs: count(values['other-orgs'], DEFAULT_SEED.otherOrgs, 'other-orgs'),
    otherOrgTickets: count(
      values['other-org-tickets'],
      DEFAULT_SEED.otherOrgTickets,
      'other-org-tickets',
      1,
    ),
    agents: count(values.agents, DEFAULT_SEED.agents, 'agents', 1),
    requesters: count(values.requesters, DEFAULT_SEED.requesters, 'requesters', 1),
    batch: count(values.batch, DEFAULT_SEED.batch, 'batch', 1),
    parallel: count(values.parallel, DEFAULT_SEED.parallel, 'parallel', 1),
  };
}

if (require.main === module) {
  seed(optionsFrom(process.argv.slice(2))).catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
