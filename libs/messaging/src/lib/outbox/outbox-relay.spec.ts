import { randomUUID } from 'node:crypto';
import type { INestApplicationContext } from '@nestjs/common';
import { EventBus } from '@nestjs/cqrs';
import { Registry } from 'prom-client';
import { DataSource } from 'typeorm';
import { TicketDeleted } from '@helpdesk/contracts';
import { withTransaction } from '@helpdesk/database';
import { eventually, type TestVhost } from '@helpdesk/testing';
import { OutboxHealthIndicator } from './outbox.health';
import { OutboxRelay } from './outbox-relay';
import { raise } from './raise';
import type { EventCollector } from './test/event-collector';
import { type FixtureOptions, startFixtureApp, ticketCreated } from './test/outbox-fixture';
import { openTestInfrastructure, type TestInfrastructure } from './test/test-infrastructure';

describe('OutboxRelay (RabbitMQ + PostgreSQL)', () => {
  let infrastructure: TestInfrastructure;
  let vhost: TestVhost;
  let collector: EventCollector;
  const apps: INestApplicationContext[] = [];

  beforeEach(async () => {
    infrastructure = await openTestInfrastructure('outbox_relay');
    ({ vhost, collector } = infrastructure);
  });

  afterEach(async () => {
    for (const app of apps.splice(0)) await app.close();
    await infrastructure.drop();
  });

  async function start(options: Partial<FixtureOptions> = {}): Promise<INestApplicationContext> {
    const app = await startFixtureApp({
      databaseUrl: infrastructure.database.url,
      brokerUrl: vhost.url,
      ...options,
    });
    apps.push(app);
    return app;
  }

  /** Commits `count` events, `perTransaction` at a time, each batch on its own aggregate's next versions. */
  async function commitEvents(
    app: INestApplicationContext,
    aggregates: string[],
    transactions: number,
    perTransaction: number,
    between?: (transaction: number) => Promise<void>,
  ): Promise<string[]> {
    const dataSource = app.get(DataSource);
    const eventBus = app.get(EventBus);
    const versions = new Map<string, number>();
    const eventIds: string[] = [];
    for (let transaction = 0; transaction < transactions; transaction++) {
      const aggregateId = aggregates[transaction % aggregates.length];
      await withTransaction(dataSource, async () => {
        for (let i = 0; i < perTransaction; i++) {
          const aggregateVersion = (versions.get(aggregateId) ?? 0) + 1;
          versions.set(aggregateId, aggregateVersion);
          const event = ticketCreated({ aggregateId, aggregateVersion });
          eventIds.push(event.eventId);
          await eventBus.publish(event);
        }
      });
      await between?.(transaction);
    }
    return eventIds;
  }

  async function pendingRows(app: INestApplicationContext): Promise<number> {
    const [row] = await app
      .get(DataSource)
      .query('SELECT count(*)::int AS pending FROM outbox WHERE published_at IS NULL');
    return row.pending;
  }

  it('delivers every one of 1,000 events while its broker connection is cut again and again', async () => {
    await collector.bind('ticket.events');
    const app = await start({ relay: { batchSize: 50 } });
    const aggregates = Array.from({ length: 20 }, () => randomUUID());
    let cuts = 0;

    // The management API lists a new connection a little late: wait for it at the guaranteed cuts,
    // and cut opportunistically in between.
    const cutOnce = () =>
      eventually(async () => expect(await vhost.closeConnections('outbox-relay')).toBe(1));
    const eventIds = await commitEvents(app, aggregates, 100, 10, async (transaction) => {
      if (transaction === 30 || transaction === 70) {
        await cutOnce();
        cuts += 1;
      } else if (transaction % 10 === 5) cuts += await vhost.closeConnections('outbox-relay');
    });

    await eventually(() => expect(collector.distinctEventIds().size).toBe(1_000), {
      timeoutMs: 40_000,
    });
    expect([...collector.distinctEventIds()].sort()).toEqual([...eventIds].sort());
    expect(cuts).toBeGreaterThanOrEqual(2);
    await eventually(async () => expect(await pendingRows(app)).toBe(0));
    // Duplicates are allowed (at-least-once); report them so a regression is visible.
    process.stdout.write(
      `outbox relay under connection cuts: 1000 events, ${cuts} connections cut, ` +
        `${collector.deliveries.length} deliveries, ${collector.duplicates()} duplicate(s)\n`,
    );
  }, 60_000);

  it('keeps per-aggregate order with two relays on one outbox', async () => {
    await collector.bind('ticket.events');
    const first = await start({ serviceName: 'replica-a', relay: { batchSize: 20 } });
    await start({ serviceName: 'replica-b', relay: { batchSize: 20 } });
    const aggregates = Array.from({ length: 5 }, () => randomUUID());

    const eventIds = await commitEvents(first, aggregates, 100, 3);

    await eventually(() => expect(collector.distinctEventIds().size).toBe(eventIds.length), {
      timeoutMs: 30_000,
    });
    for (const aggregateId of aggregates) {
      const firstDeliveries = new Map<number, number>();
      collector.deliveries.forEach((delivery, position) => {
        const { aggregateId: id, aggregateVersion } = delivery.envelope;
        if (id === aggregateId && !firstDeliveries.has(aggregateVersion))
          firstDeliveries.set(aggregateVersion, position);
      });
      const versionsInArrivalOrder = [...firstDeliveries.entries()]
        .sort(([, a], [, b]) => a - b)
        .map(([version]) => version);
      expect(versionsInArrivalOrder).toEqual(
        Array.from({ length: versionsInArrivalOrder.length }, (_, i) => i + 1),
      );
      expect(versionsInArrivalOrder).toHaveLength(60);
    }
    // Every confirmed row is counted by the replica that published it (once
    // its UPDATE commits, which may be just after the broker delivered it).
    const publishedCounts = () =>
      Promise.all(
        apps.map(async (app) => {
          const metrics = await app.get(Registry).getSingleMetricAsString('outbox_published_total');
          return Number(/outbox_published_total\{[^}]*\} (\d+)/.exec(metrics)?.[1] ?? 0);
        }),
      );
    let published: number[] = [];
    await eventually(async () => {
      published = await publishedCounts();
      expect(published.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(eventIds.length);
    });
    process.stdout.write(`two relays published ${published.join(' + ')} of ${eventIds.length}\n`);
  }, 60_000);

  it('does not hold an aggregate’s later events behind one nobody is bound to receive', async () => {
    const app = await start();
    const dataSource = app.get(DataSource);
    const aggregateId: string = randomUUID();
    const unwanted = raise(TicketDeleted, {
      tenantId: randomUUID(),
      aggregateId,
      aggregateVersion: 1,
      payload: { ticketId: aggregateId, number: 1 },
    });
    await collector.bind('ticket.events', 'ticket.created');
    await withTransaction(dataSource, () => app.get(EventBus).publish(unwanted));
    await eventually(async () => {
      const [row] = await dataSource.query('SELECT last_error FROM outbox WHERE id = $1', [
        unwanted.eventId,
      ]);
      expect(row.last_error).toMatch(/^unroutable:/);
    });

    const wanted = ticketCreated({ aggregateId, aggregateVersion: 2 });
    await withTransaction(dataSource, () => app.get(EventBus).publish(wanted));

    await eventually(() => expect(collector.distinctEventIds()).toEqual(new Set([wanted.eventId])));
    const [row] = await dataSource.query('SELECT published_at FROM outbox WHERE id = $1', [
      unwanted.eventId,
    ]);
    expect(row.published_at).toBeNull();
  }, 30_000);

  it('keeps an unroutable event pending until a queue is bound, then delivers it', async () => {
    const app = await start();
    const dataSource = app.get(DataSource);
    const event = ticketCreated();
    await withTransaction(dataSource, () => app.get(EventBus).publish(event));

    await eventually(async () => {
      const [row] = await dataSource.query(
        'SELECT published_at, attempts, last_error FROM outbox WHERE id = $1',
        [event.eventId],
      );
      expect(row.published_at).toBeNull();
      expect(row.attempts).toBeGreaterThanOrEqual(2);
      expect(row.last_error).toMatch(/unroutable/);
    });
    const metrics = await app
      .get(Registry)
      .getSingleMetricAsString('outbox_publish_failures_total');
    expect(metrics).toMatch(/reason="returned"[^\n]* [1-9]/);
    expect(await app.get(Registry).getSingleMetricAsString('outbox_backlog')).toMatch(
      /outbox_backlog\{[^}]*\} 1$/m,
    );
    expect(await app.get(OutboxHealthIndicator).check()).toMatchObject({
      status: 'up',
      details: { backlog: 1 },
    });

    await collector.bind('ticket.events');

    await eventually(() => expect(collector.distinctEventIds()).toEqual(new Set([event.eventId])));
    await eventually(async () => expect(await pendingRows(app)).toBe(0));
  }, 30_000);

  it('reports down when the oldest pending event is older than the limit, and deletes old published rows', async () => {
    const app = await start({ relay: { enabled: false, maxPendingAgeMs: 1_000 } });
    const dataSource = app.get(DataSource);
    const [stale, published] = [ticketCreated(), ticketCreated()];
    await withTransaction(dataSource, () => app.get(EventBus).publishAll([stale, published]));
    await dataSource.query(
      `UPDATE outbox SET created_at = now() - interval '1 hour' WHERE id = $1`,
      [stale.eventId],
    );
    await dataSource.query(
      `UPDATE outbox SET published_at = now() - interval '30 days' WHERE id = $1`,
      [published.eventId],
    );

    expect(await app.get(OutboxHealthIndicator).check()).toMatchObject({
      status: 'down',
      details: { backlog: 1, oldestPendingAgeSeconds: 3600 },
    });
    // Returned unroutable: nobody subscribes yet. Kept, reported, but the service is not down.
    await dataSource.query(
      `UPDATE outbox SET last_error = 'unroutable: no queue bound to exchange ticket.events' WHERE id = $1`,
      [stale.eventId],
    );
    expect(await app.get(OutboxHealthIndicator).check()).toMatchObject({
      status: 'up',
      details: { backlog: 1, oldestPendingAgeSeconds: 3600, awaitingSubscriber: 1 },
    });
    expect(await app.get(OutboxRelay).sweepPublished()).toBe(1);
    const rows: Array<{ id: string }> = await dataSource.query('SELECT id FROM outbox');
    expect(rows.map((row) => row.id)).toEqual([stale.eventId]);
  });
});
