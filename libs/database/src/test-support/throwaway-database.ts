import { randomBytes } from 'node:crypto';
import { Client, escapeIdentifier } from 'pg';
import type { DataSource } from 'typeorm';
import { createDataSource } from '../lib/database-options';
import { ensureDatabase } from '../lib/migrations';

// This library may not depend on @helpdesk/testing (data-access never imports
// test helpers), so its specs carry this minimal equivalent of createTestDatabase.

const adminUrl =
  process.env['HELPDESK_TEST_DATABASE_ADMIN_URL'] ??
  'postgres://helpdesk:helpdesk@127.0.0.1:5432/postgres';

export interface ThrowawayDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

export function throwawayDatabaseUrl(): { name: string; url: string } {
  // Same shape as @helpdesk/testing's names, so its sweep also clears leftovers of killed runs here.
  const createdAt = Math.floor(Date.now() / 1000).toString(36);
  const name = `t_database_${createdAt}_${randomBytes(4).toString('hex')}`;
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return { name, url: url.toString() };
}

export async function dropDatabase(name: string): Promise<void> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${escapeIdentifier(name)} WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

export async function databaseExists(name: string): Promise<boolean> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const result = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    return result.rowCount === 1;
  } finally {
    await client.end();
  }
}

export async function createThrowawayDatabase(): Promise<ThrowawayDatabase> {
  const { name, url } = throwawayDatabaseUrl();
  await ensureDatabase(url);
  return { name, url, drop: () => dropDatabase(name) };
}

export interface ThrowawayDataSource {
  dataSource: DataSource;
  /** Closes the pool and drops the database. */
  close(): Promise<void>;
}

/** An initialized DataSource (a pool of `poolSize`) on a new throwaway database. */
export async function createThrowawayDataSource(poolSize: number): Promise<ThrowawayDataSource> {
  const database = await createThrowawayDatabase();
  const dataSource = await createDataSource({
    serviceName: 'ledger-service',
    entities: [],
    migrations: [],
    poolSize,
    env: { LEDGER_SERVICE_DATABASE_URL: database.url },
  }).initialize();
  return {
    dataSource,
    close: async () => {
      await dataSource.destroy();
      await database.drop();
    },
  };
}
