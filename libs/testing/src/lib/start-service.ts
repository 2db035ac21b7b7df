import type { Type } from '@nestjs/common';
import type { IntegrationEventBase } from '@helpdesk/contracts';
import type { HttpAppOptions } from '@helpdesk/http';
import { DataSource } from 'typeorm';
import { bootTestApp, type TestApp } from './boot-test-app';
import { FakeIdentityProvider } from './fake-identity-provider';
import { createTestDatabase, type TestDatabase } from './test-database';
import { TestPublisher, type TravellingEnvelope } from './test-publisher';
import { createTestVhost, type TestVhost } from './test-vhost';

export interface StartServiceOptions {
  rootModule: Type<unknown>;
  /** The app's own HTTP options (as main.ts passes them). */
  http: HttpAppOptions;
  /** `TICKET_SERVICE_DATABASE_URL` and the like: where the test database goes. */
  databaseUrlVariable: string;
  /** Applies the app's migrations to the test database (the app's migrate step with `env`). */
  migrate(env: Record<string, string>): Promise<unknown>;
  /** Test database and vhost name prefix. */
  prefix: string;
  /** Play user-service: a JWKS endpoint the app trusts (AUTH_JWKS_URL) and a token signer. */
  identity?: boolean;
  env?: Record<string, string>;
  /** Runs once the database and vhost exist, before migrating and booting (e.g. bind a test queue). */
  beforeStart?(infrastructure: { database: TestDatabase; vhost: TestVhost }): Promise<void>;
}

export interface StartedService extends TestApp {
  database: TestDatabase;
  vhost: TestVhost;
  dataSource: DataSource;
  /** Present when started with `identity: true`. */
  identity: FakeIdentityProvider | undefined;
  /** Events the app wrote to its outbox, oldest first (parsed envelopes). */
  outbox(eventType?: string): Promise<{ eventType: string; envelope: StoredEnvelope }[]>;
  /** Publishes each event to the service's vhost as its producer's relay would (TestPublisher.event). */
  publish(...events: Array<IntegrationEventBase | TravellingEnvelope>): Promise<void>;
}

/**
 * An outbox row's envelope as stored (JSON). Tests read deep into payloads of
 * many event types, so it is deliberately loose here.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type StoredEnvelope = any;

/**
 * A service as production wires it, on a database and a RabbitMQ vhost of
 * its own (optionally trusting a FakeIdentityProvider), migrated and booted
 * through `bootTestApp`. `close()` undoes all of it. Each service's test
 * fixture adds what is particular to it on top.
 */
export async function startService(options: StartServiceOptions): Promise<StartedService> {
  const identity = options.identity ? await FakeIdentityProvider.start() : undefined;
  const database = await createTestDatabase({ prefix: options.prefix });
  const vhost = await createTestVhost({ prefix: options.prefix });
  const env = {
    [options.databaseUrlVariable]: database.url,
    RABBITMQ_URL: vhost.url,
    // Revocations are seen within a poll: short, so tests wait little.
    AUTH_REVOCATION_POLL_MS: '200',
    ...(identity ? { AUTH_JWKS_URL: identity.url } : {}),
    ...options.env,
  };
  const undo = async () => {
    await identity?.close();
    await database.drop();
    await vhost.drop();
  };
  let service: TestApp;
  try {
    await options.beforeStart?.({ database, vhost });
    await options.migrate(env);
    service = await bootTestApp(options.rootModule, { ...options.http, env });
  } catch (error) {
    await undo();
    throw error;
  }
  const dataSource = service.app.get(DataSource);
  let publisher: Promise<TestPublisher> | undefined;
  return {
    ...service,
    database,
    vhost,
    dataSource,
    identity,
    outbox: async (eventType) => {
      const rows: { event_type: string; envelope: StoredEnvelope }[] = await dataSource.query(
        `SELECT event_type, envelope FROM outbox ${eventType ? 'WHERE event_type = $1' : ''} ORDER BY seq`,
        eventType ? [eventType] : [],
      );
      return rows.map((row) => ({ eventType: row.event_type, envelope: row.envelope }));
    },
    publish: async (...events) => {
      publisher ??= TestPublisher.open(vhost.url);
      const opened = await publisher;
      for (const event of events) await opened.event(event);
    },
    close: async () => {
      await (await publisher)?.close();
      await service.close();
      await undo();
    },
  };
}
