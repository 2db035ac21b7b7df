import { createDataSource, migrateServiceDatabase } from '@helpdesk/database';
import { createTestDatabase, type TestDatabase } from '@helpdesk/testing';
import type { DataSource } from 'typeorm';
import { authMigrations } from '../revocation/revoked-session.migration';

export const TEST_SERVICE = 'ticket-service';

export interface RevocationDatabase {
  database: TestDatabase;
  env: Record<string, string>;
  dataSource: DataSource;
  close(): Promise<void>;
}

/** A fresh database with the auth migrations applied, and a DataSource on it. */
export async function createRevocationDatabase(): Promise<RevocationDatabase> {
  const database = await createTestDatabase({ prefix: 'auth' });
  const env = { TICKET_SERVICE_DATABASE_URL: database.url };
  const quiet = { log: () => undefined, error: () => undefined };
  await migrateServiceDatabase({
    serviceName: TEST_SERVICE,
    entities: [],
    migrations: authMigrations,
    env,
    logger: quiet,
  });
  const dataSource = createDataSource({
    serviceName: TEST_SERVICE,
    entities: [],
    migrations: [],
    env,
    poolSize: 3,
  });
  await dataSource.initialize();
  return {
    database,
    env,
    dataSource,
    close: async () => {
      await dataSource.destroy();
      await database.drop();
    },
  };
}
