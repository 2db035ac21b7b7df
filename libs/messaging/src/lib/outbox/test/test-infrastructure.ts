import {
  createTestDatabase,
  createTestVhost,
  type TestDatabase,
  type TestVhost,
} from '@helpdesk/testing';
import { EventCollector } from './event-collector';
import { migrateFixtureDatabase } from './outbox-fixture';

export interface TestInfrastructure {
  database: TestDatabase;
  vhost: TestVhost;
  /** Consumes from its own queue; bind it to an exchange to receive. */
  collector: EventCollector;
  drop(): Promise<void>;
}

/** A migrated database and an empty vhost of the test's own, and a collector on that vhost. */
export async function openTestInfrastructure(prefix: string): Promise<TestInfrastructure> {
  const [database, vhost] = await Promise.all([
    createTestDatabase({ prefix }),
    createTestVhost({ prefix }),
  ]);
  await migrateFixtureDatabase(database.url);
  const collector = await EventCollector.open(vhost.url);
  return {
    database,
    vhost,
    collector,
    async drop() {
      await collector.close();
      await Promise.all([database.drop(), vhost.drop()]);
    },
  };
}
