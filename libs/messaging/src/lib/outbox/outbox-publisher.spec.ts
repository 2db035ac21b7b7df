import { randomUUID } from 'node:crypto';
import type { INestApplicationContext } from '@nestjs/common';
import { AggregateRoot, EventBus, EventPublisher } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { TicketCreated } from '@helpdesk/contracts';
import { withTransaction } from '@helpdesk/database';
import { runWithContext } from '@helpdesk/observability';
import { eventually } from '@helpdesk/testing';
import { withEventContext } from './event-context';
import {
  InvalidIntegrationEventError,
  OutboxOutsideTransactionError,
} from './invalid-integration-event.error';
import { raise } from './raise';
import type { EventCollector } from './test/event-collector';
import { LocalDeliveries, startFixtureApp, ticketCreated } from './test/outbox-fixture';
import { openTestInfrastructure, type TestInfrastructure } from './test/test-infrastructure';

class Ticket extends AggregateRoot {
  open(): void {
    this.apply(ticketCreated());
  }
}

describe('publishing integration events through the outbox', () => {
  let infrastructure: TestInfrastructure;
  let app: INestApplicationContext;
  let collector: EventCollector;
  let dataSource: DataSource;
  let eventBus: EventBus;
  let local: LocalDeliveries;

  beforeAll(async () => {
    infrastructure = await openTestInfrastructure('outbox_pub');
    const { database, vhost } = infrastructure;
    collector = infrastructure.collector;
    await collector.bind('ticket.events');
    app = await startFixtureApp({ databaseUrl: database.url, brokerUrl: vhost.url });
    dataSource = app.get(DataSource);
    eventBus = app.get(EventBus);
    local = app.get(LocalDeliveries);
  });

  afterAll(async () => {
    await app?.close();
    await infrastructure?.drop();
  });

  async function outboxIds(): Promise<string[]> {
    const rows: Array<{ id: string }> = await dataSource.query('SELECT id FROM outbox');
    return rows.map((row) => row.id);
  }

  it('publishes a committed event with the broker properties consumers rely on', async () => {
    const event = await runWithContext({ correlationId: 'request-42' }, () =>
      withEventContext({ actorId: 'agent-7', actorType: 'user' }, () =>
        withTransaction(dataSource, async () => {
          const raised = ticketCreated();
          await eventBus.publish(raised);
          return raised;
        }),
      ),
    );

    await eventually(() => expect(collector.distinctEventIds()).toContain(event.eventId));
    const delivery = collector.deliveries.find((d) => d.envelope.eventId === event.eventId);
    expect(delivery?.envelope).toEqual(event.toEnvelope());
    expect(delivery?.envelope.metadata).toMatchObject({
      correlationId: 'request-42',
      actorId: 'agent-7',
      actorType: 'user',
    });
    expect(delivery?.properties).toMatchObject({
      deliveryMode: 2,
      contentType: 'application/json',
      messageId: event.eventId,
      type: TicketCreated.eventType,
      headers: { 'x-tenant-id': event.tenantId, 'x-correlation-id': 'request-42' },
    });
    await eventually(async () => {
      const [row] = await dataSource.query('SELECT published_at FROM outbox WHERE id = $1', [
        event.eventId,
      ]);
      expect(row.published_at).not.toBeNull();
    });
  });

  it('writes and publishes nothing when the transaction rolls back, and runs no local handler', async () => {
    const rolledBack = ticketCreated();
    await expect(
      withTransaction(dataSource, async () => {
        await eventBus.publish(rolledBack);
        throw new Error('the command failed after raising its event');
      }),
    ).rejects.toThrow('the command failed');

    // A later commit that arrives proves the relay has run past the rolled-back one.
    const marker = ticketCreated();
    await withTransaction(dataSource, () => eventBus.publish(marker));
    await eventually(() => expect(collector.distinctEventIds()).toContain(marker.eventId));

    expect(collector.distinctEventIds()).not.toContain(rolledBack.eventId);
    expect(await outboxIds()).not.toContain(rolledBack.eventId);
    expect(local.eventIds).not.toContain(rolledBack.eventId);
  });

  it('runs the local @EventsHandler once, after commit', async () => {
    const event = ticketCreated();
    let seenInsideTransaction: boolean | undefined;
    await withTransaction(dataSource, async () => {
      await eventBus.publish(event);
      seenInsideTransaction = local.eventIds.includes(event.eventId);
    });

    expect(seenInsideTransaction).toBe(false);
    await eventually(() => expect(local.eventIds).toContain(event.eventId));
    await eventually(() => expect(collector.distinctEventIds()).toContain(event.eventId));
    expect(local.eventIds.filter((id) => id === event.eventId)).toHaveLength(1);
  });

  it('leaves integration events to the consumer when local dispatch is off', async () => {
    const { database, vhost } = infrastructure;
    const quiet = await startFixtureApp({
      databaseUrl: database.url,
      brokerUrl: vhost.url,
      serviceName: 'quiet-replica',
      dispatchLocally: false,
      relay: { enabled: false },
    });
    try {
      const event = ticketCreated();
      await withTransaction(quiet.get(DataSource), () => quiet.get(EventBus).publish(event));

      // Published by the first app's relay: the commit is complete, after-commit work included.
      await eventually(() => expect(collector.distinctEventIds()).toContain(event.eventId));
      expect(quiet.get(LocalDeliveries).eventIds).toEqual([]);
    } finally {
      await quiet.close();
    }
  });

  it('writes the events of aggregate.commit() inside the transaction, even though commit drops the promise', async () => {
    const ticket = app.get(EventPublisher).mergeObjectContext(new Ticket());
    ticket.open();
    const [event] = ticket.getUncommittedEvents() as TicketCreated[];

    await withTransaction(dataSource, async () => {
      ticket.commit();
    });

    expect(await outboxIds()).toContain(event.eventId);
    await eventually(() => expect(local.eventIds).toContain(event.eventId));
  });

  it('refuses an invalid payload when raised, and when published, writing nothing', async () => {
    expect(() =>
      raise(TicketCreated, {
        tenantId: randomUUID(),
        aggregateId: randomUUID(),
        aggregateVersion: 1,
        payload: { nonsense: true } as unknown as TicketCreated['payload'],
      }),
    ).toThrow(InvalidIntegrationEventError);

    const valid = ticketCreated();
    const forged = new TicketCreated({ ...valid.toEnvelope(), payload: 42 as never });
    const before = await outboxIds();
    await expect(
      withTransaction(dataSource, async () => {
        await eventBus.publish(valid);
        await eventBus.publish(forged);
      }),
    ).rejects.toThrow(InvalidIntegrationEventError);

    expect(await outboxIds()).toEqual(before);
    expect(local.eventIds).not.toContain(valid.eventId);
  });

  it('refuses an integration event published outside a transaction', async () => {
    const event = ticketCreated();
    expect(() => eventBus.publish(event)).toThrow(OutboxOutsideTransactionError);
    expect(await outboxIds()).not.toContain(event.eventId);
  });

  it('keeps purely local events in process, with or without a transaction', async () => {
    class LocalOnly {
      constructor(readonly id: string) {}
    }
    const seen: string[] = [];
    const subscription = eventBus.subscribe((event) => {
      if (event instanceof LocalOnly) seen.push(event.id);
    });
    eventBus.publish(new LocalOnly('outside'));
    await withTransaction(dataSource, async () => {
      eventBus.publish(new LocalOnly('inside'));
    });
    subscription.unsubscribe();

    expect(seen).toEqual(['outside', 'inside']);
  });
});
