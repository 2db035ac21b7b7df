import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Registry } from 'prom-client';
import * as amqplib from 'amqplib';
import { Client } from 'pg';
import {
  createTestDatabase,
  createTestVhost,
  eventually,
  TestPublisher,
  type TestDatabase,
  type TestVhost,
} from '@helpdesk/testing';
import { listDeadLetters, replayDeadLetters } from './dead-letters';
import { EventConsumer } from './event-consumer';
import { EventConsumerHealthIndicator } from './event-consumer.health';
import { FailureHeader } from './failure-headers';
import {
  ConsumerFixtureModule,
  FIXTURE_SERVICE,
  FixtureControl,
  type FixtureOptions,
  migrateFixtureDatabase,
} from './test-support/consumer-fixture';
import { sampleTicketCreated, sampleUserCreated } from './test-support/sample-events';

const DLQ = `${FIXTURE_SERVICE}.events.dlq`;

describe('EventConsumer (RabbitMQ + PostgreSQL)', () => {
  let database: TestDatabase;
  let vhost: TestVhost;
  let app: INestApplicationContext | undefined;
  let publisher: TestPublisher;

  beforeEach(async () => {
    [database, vhost] = await Promise.all([
      createTestDatabase({ prefix: 'consumer' }),
      createTestVhost({ prefix: 'consumer' }),
    ]);
    await migrateFixtureDatabase(database.url);
    publisher = await TestPublisher.open(vhost.url);
  });

  afterEach(async () => {
    await publisher.close();
    await app?.close();
    app = undefined;
    await Promise.all([database.drop(), vhost.drop()]);
  });

  async function start(
    options: Partial<FixtureOptions> = {},
  ): Promise<{ control: FixtureControl }> {
    app = await NestFactory.createApplicationContext(
      ConsumerFixtureModule.with({ databaseUrl: database.url, brokerUrl: vhost.url, ...options }),
      { logger: false },
    );
    await app.init();
    await app.get(EventConsumer).waitUntilConnected();
    return { control: app.get(FixtureControl) };
  }

  /** Counts through its own connection, so it works before, during and after the app's lifetime. */
  async function count(sql: string, params: unknown[] = []): Promise<number> {
    const client = new Client({ connectionString: database.url });
    await client.connect();
    try {
      const result = await client.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM (${sql}) q`,
        params,
      );
      return result.rows[0]?.n ?? -1;
    } finally {
      await client.end();
    }
  }

  async function workQueue(): Promise<{ messageCount: number; consumerCount: number }> {
    const connection = await amqplib.connect(vhost.url);
    try {
      const channel = await connection.createChannel();
      const { messageCount, consumerCount } = await channel.checkQueue(`${FIXTURE_SERVICE}.events`);
      return { messageCount, consumerCount };
    } finally {
      await connection.close();
    }
  }

  it('handles an event delivered twice exactly once', async () => {
    const { control } = await start();
    const event = sampleTicketCreated();

    await publisher.event(event);
    await publisher.event(event);
    const marker = sampleTicketCreated();
    await publisher.event(marker);

    // Deliveries of one aggregate are handled in order; the marker is another, so wait for the queue to drain.
    await eventually(async () => {
      expect(control.count(marker.eventId)).toBe(1);
      expect(app?.get(EventConsumer).status().lag).toBe(0);
      expect(await count('SELECT 1 FROM inbox')).toBe(2);
    });
    expect(await count('SELECT 1 FROM effects WHERE event_id = $1', [event.eventId])).toBe(1);
    expect(control.count(event.eventId)).toBe(1);
    const metrics = await app?.get(Registry).getSingleMetricAsString('events_consumed_total');
    expect(metrics).toMatch(/outcome="duplicate"[^\n]* 1/);
  });

  it('parks malformed messages with their reason and keeps consuming valid ones', async () => {
    const { control } = await start({ sink: true });
    const valid = sampleTicketCreated();
    const envelope = valid.toEnvelope();
    const { payload: _payload, ...withoutPayload } = sampleTicketCreated().toEnvelope();

    await publisher.raw('ticket.events', 'ticket.created', '{not json');
    await publisher.raw('ticket.events', 'ticket.created', JSON.stringify(withoutPayload));
    await publisher.raw(
      'ticket.events',
      'ticket.created',
      JSON.stringify({
        ...envelope,
        eventId: sampleTicketCreated().eventId,
        eventType: 'ticket.exploded',
      }),
    );
    await publisher.raw(
      'ticket.events',
      'ticket.created',
      JSON.stringify({ ...envelope, eventId: sampleTicketCreated().eventId, version: 999 }),
    );
    await publisher.event(valid);
    const user = sampleUserCreated();
    await publisher.event(user);

    await eventually(async () => {
      expect(control.count(valid.eventId)).toBe(1);
      expect(control.count(user.eventId)).toBe(1);
      expect((await listDeadLetters({ url: vhost.url, queue: DLQ })).length).toBe(4);
    });
    const letters = await listDeadLetters({ url: vhost.url, queue: DLQ });
    expect(letters.map((letter) => letter.reason)).toEqual([
      'refused',
      'refused',
      'refused',
      'refused',
    ]);
    for (const letter of letters) {
      expect(letter.error).toEqual(expect.any(String));
      expect(letter.error?.length).toBeGreaterThan(0);
      expect(letter.originalExchange).toBe('ticket.events');
      expect(letter.originalRoutingKey).toBe('ticket.created');
    }
    expect(await count('SELECT 1 FROM effects')).toBe(2);
    expect(await count('SELECT 1 FROM inbox')).toBe(2);
    // Listing leaves the queue as it was.
    expect(await listDeadLetters({ url: vhost.url, queue: DLQ })).toHaveLength(4);
  });

  it('retries a failing event with delays, parks it, keeps others flowing, and replays it', async () => {
    const { control } = await start({ retryDelaysMs: [150, 300] });
    const doomed = sampleTicketCreated();
    control.failing.add(doomed.eventId);

    await publisher.event(doomed);
    const others = [sampleTicketCreated(), sampleTicketCreated(), sampleTicketCreated()];
    for (const other of others) await publisher.event(other);

    await eventually(async () => {
      expect((await listDeadLetters({ url: vhost.url, queue: DLQ })).length).toBe(1);
    });
    expect(others.map((other) => control.count(other.eventId))).toEqual([1, 1, 1]);
    expect(control.count(doomed.eventId)).toBe(3);
    const [letter] = await listDeadLetters({ url: vhost.url, queue: DLQ });
    await eventually(() => expect(app?.get(EventConsumer).status().deadLetters).toBe(1));
    expect(letter).toMatchObject({
      eventId: doomed.eventId,
      eventType: 'ticket.created',
      attempts: 3,
      reason: 'failed',
      error: `Error: fixture failure for ${doomed.eventId}`,
      originalExchange: 'ticket.events',
      originalRoutingKey: 'ticket.created',
    });
    expect(Date.parse(letter?.lastFailureAt ?? '')).toBeGreaterThan(
      Date.parse(letter?.firstFailureAt ?? ''),
    );
    // Every failed attempt rolled back its effect and its inbox row.
    expect(await count('SELECT 1 FROM effects WHERE event_id = $1', [doomed.eventId])).toBe(0);
    expect(await count('SELECT 1 FROM inbox WHERE event_id = $1', [doomed.eventId])).toBe(0);

    control.failing.delete(doomed.eventId);
    const moved = await replayDeadLetters({
      url: vhost.url,
      queue: DLQ,
      eventIds: [doomed.eventId],
    });

    expect(moved.map((each) => each.eventId)).toEqual([doomed.eventId]);
    await eventually(async () => {
      expect(await count('SELECT 1 FROM effects WHERE event_id = $1', [doomed.eventId])).toBe(1);
    });
    expect(control.count(doomed.eventId)).toBe(4);
    expect(await listDeadLetters({ url: vhost.url, queue: DLQ })).toHaveLength(0);
    expect(FailureHeader.attempts).toBe('x-attempts');
  });

  it('reconnects after its broker connection is killed and handles every message exactly once', async () => {
    const { control } = await start({ prefetch: 20 });
    const health = app?.get(EventConsumerHealthIndicator);
    await expect(health?.check()).resolves.toMatchObject({
      status: 'up',
      details: { connected: true },
    });
    const events = Array.from({ length: 300 }, () => sampleTicketCreated());
    const publishing = (async () => {
      for (const event of events) await publisher.event(event);
    })();

    await eventually(() => expect(control.invocations.size).toBeGreaterThanOrEqual(30));
    await eventually(async () =>
      expect(await vhost.closeConnections(`${FIXTURE_SERVICE}:consumer`)).toBe(1),
    );
    await publishing;

    await eventually(
      async () => expect(await count('SELECT DISTINCT event_id FROM effects')).toBe(events.length),
      { timeoutMs: 30_000 },
    );
    expect(await count('SELECT 1 FROM effects')).toBe(events.length);
    expect(await count('SELECT 1 FROM inbox')).toBe(events.length);
    await eventually(() => expect(app?.get(EventConsumer).status().connected).toBe(true));
    expect(await listDeadLetters({ url: vhost.url, queue: DLQ })).toHaveLength(0);
  });

  it('reports down once stopped', async () => {
    await start();
    await app?.get(EventConsumer).stop();

    await expect(app?.get(EventConsumerHealthIndicator).check()).resolves.toMatchObject({
      status: 'down',
      details: { connected: false, queue: `${FIXTURE_SERVICE}.events` },
    });
  });

  it('lets a running handler finish and ack before the app closes', async () => {
    const { control } = await start();
    let release = (): void => undefined;
    control.hold = new Promise<void>((resolve) => (release = resolve));
    const event = sampleTicketCreated();
    await publisher.event(event);
    await eventually(() => expect(control.count(event.eventId)).toBe(1));

    const consumer = app?.get(EventConsumer);
    const closing = app?.close();
    app = undefined;
    await eventually(() => expect(consumer?.status().stopping).toBe(true));
    release();
    await closing;

    expect(await workQueue()).toMatchObject({ messageCount: 0, consumerCount: 0 });
    expect(await count('SELECT 1 FROM effects WHERE event_id = $1', [event.eventId])).toBe(1);
    expect(await count('SELECT 1 FROM inbox WHERE event_id = $1', [event.eventId])).toBe(1);
  });

  it('redeclares its queue and resubscribes when the queue is deleted under it', async () => {
    const { control } = await start();
    const connection = await amqplib.connect(vhost.url);
    try {
      await (await connection.createChannel()).deleteQueue(`${FIXTURE_SERVICE}.events`);
    } finally {
      await connection.close();
    }

    const event = sampleTicketCreated();
    // Unroutable (mandatory publish fails) until the queue is back.
    await eventually(() => publisher.event(event));

    await eventually(() => expect(control.count(event.eventId)).toBe(1));
    expect(await count('SELECT 1 FROM inbox WHERE event_id = $1', [event.eventId])).toBe(1);
  });
});
