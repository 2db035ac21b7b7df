import { Client, escapeIdentifier } from 'pg';
import { createdAtOf, stampedName } from './unique-name';

export interface TestDatabase {
  /** Connection URL of the new, empty database, with the admin URL's credentials. */
  url: string;
  name: string;
  /** Drops the database, ending any connection still open to it. Safe to call twice. */
  drop(): Promise<void>;
}

export interface TestDatabaseOptions {
  /** Part of the name, to tell whose database it is: `t_<prefix>_…`. */
  prefix: string;
}

const DEFAULT_ADMIN_URL = 'postgres://helpdesk:helpdesk@127.0.0.1:5432/postgres';
/** Longer than any test run, so a sweep never takes a database from under a live test. */
const STALE_AFTER_HOURS = 6;

export function testDatabaseAdminUrl(): string {
  return process.env['HELPDESK_TEST_DATABASE_ADMIN_URL'] || DEFAULT_ADMIN_URL;
}

async function withAdminClient<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const adminUrl = testDatabaseAdminUrl();
  const client = new Client({
    connectionString: adminUrl,
    application_name: 'helpdesk-tests',
    connectionTimeoutMillis: 5_000,
  });
  try {
    await client.connect();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(
      `Cannot reach PostgreSQL for test databases at ${redact(adminUrl)} (HELPDESK_TEST_DATABASE_ADMIN_URL): ${reason}`,
    );
  }
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

function redact(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}

async function dropDatabase(client: Client, name: string): Promise<void> {
  await client.query(`DROP DATABASE IF EXISTS ${escapeIdentifier(name)} WITH (FORCE)`);
}

/** Drops test databases left behind by runs that were killed before cleaning up. Returns their names. */
export async function sweepStaleTestDatabases(
  olderThanHours = STALE_AFTER_HOURS,
): Promise<string[]> {
  const cutoff = Date.now() - olderThanHours * 3_600_000;
  return withAdminClient(async (client) => {
    const { rows } = await client.query<{ datname: string }>(
      `SELECT datname FROM pg_database WHERE datname LIKE 't\\_%'`,
    );
    const stale = rows
      .map((row) => row.datname)
      .filter((name) => {
        const createdAt = createdAtOf(name);
        return createdAt !== undefined && createdAt.getTime() < cutoff;
      });
    for (const name of stale) await dropDatabase(client, name);
    return stale;
  });
}

let sweptThisProcess: Promise<unknown> | undefined;

/** A freshly created, uniquely named, empty database for one test file or test. */
export async function createTestDatabase(options: TestDatabaseOptions): Promise<TestDatabase> {
  // Housekeeping must never fail a test; a concurrent sweep in another process may race us to a drop.
  sweptThisProcess ??= sweepStaleTestDatabases().catch(() => undefined);
  await sweptThisProcess;

  const name = stampedName(options.prefix);
  await withAdminClient((client) => client.query(`CREATE DATABASE ${escapeIdentifier(name)}`));
  const url = new URL(testDatabaseAdminUrl());
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    drop: () => withAdminClient((client) => dropDatabase(client, name)),
  };
}
