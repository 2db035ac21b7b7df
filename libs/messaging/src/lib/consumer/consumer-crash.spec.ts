import { type ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';
import { join, resolve } from 'node:path';
import * as amqplib from 'amqplib';
import { Client } from 'pg';
import type { TicketCreated } from '@helpdesk/contracts';
import {
  createTestDatabase,
  createTestVhost,
  eventually,
  TestPublisher,
  type TestDatabase,
  type TestVhost,
} from '@helpdesk/testing';
import { listDeadLetters } from './dead-letters';
import { FIXTURE_SERVICE, migrateFixtureDatabase } from './test-support/consumer-fixture';
import { sampleTicketCreated } from './test-support/sample-events';

const WORKSPACE_ROOT = resolve(__dirname, '../../../../..');
const CONSUMER_PROCESS = join(__dirname, 'test-support/consumer-process.ts');

describe('EventConsumer in a process that dies', () => {
  let database: TestDatabase;
  let vhost: TestVhost;
  const children: ChildProcess[] = [];

  beforeEach(async () => {
    [database, vhost] = await Promise.all([
      createTestDatabase({ prefix: 'consumer_crash' }),
      createTestVhost({ prefix: 'consumer_crash' }),
    ]);
    await migrateFixtureDatabase(database.url);
  });

  afterEach(async () => {
    for (const child of children.splice(0))
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await once(child, 'exit');
      }
    await Promise.all([database.drop(), vhost.drop()]);
  });

  async function startConsumer(env: Record<string, string> = {}): Promise<ChildProcess> {
    const child = fork(CONSUMER_PROCESS, [], {
      cwd: WORKSPACE_ROOT,
      execArgv: ['-r', '@swc-node/register'],
      env: {
        ...process.env,
        SWC_NODE_PROJECT: process.env['SWC_NODE_PROJECT'] ?? 'tsconfig.base.json',
        FIXTURE_DATABASE_URL: database.url,
        FIXTURE_BROKER_URL: vhost.url,
        ...env,
      },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    children.push(child);
    const [message] = (await Promise.race([
      once(child, 'message'),
      once(child, 'exit').then(([code]) => {
        throw new Error(`consumer process exited with ${String(code)} before it was ready`);
      }),
    ])) as [unknown];
    expect(message).toBe('ready');
    return child;
  }

  async function counts(eventId: string): Promise<{ effects: number; inbox: number }> {
    const client = new Client({ connectionString: database.url });
    await client.connect();
    try {
      const result = await client.query<{ effects: number; inbox: number }>(
        `SELECT (SELECT count(*)::int FROM effects WHERE event_id = $1) AS effects,
                (SELECT count(*)::int FROM inbox WHERE event_id = $1) AS inbox`,
        [eventId],
      );
      return result.rows[0] ?? { effects: -1, inbox: -1 };
    } finally {
      await client.end();
    }
  }

  async function publish(event: TicketCreated): Promise<void> {
    const publisher = await TestPublisher.open(vhost.url);
    try {
      await publisher.event(event);
    } finally {
      await publisher.close();
    }
  }

  async function workQueueDepth(): Promise<number> {
    const connection = await amqplib.connect(vhost.url);
    try {
      const channel = await connection.createChannel();
      return (await channel.checkQueue(`${FIXTURE_SERVICE}.events`)).messageCount;
    } finally {
      await connection.close();
    }
  }

  it('redelivers the message after a restart and produces no second effect', async () => {
    const crashing = await startConsumer({ FIXTURE_EXIT: 'after-commit' });
    const exited = once(crashing, 'exit');
    const event = sampleTicketCreated();
    await publish(event);

    const [code] = (await exited) as [number];
    expect(code).toBe(42);
    expect(await counts(event.eventId)).toEqual({ effects: 1, inbox: 1 });
    // Never acked: the broker holds it for the next consumer.
    await eventually(async () => expect(await workQueueDepth()).toBe(1));

    const restarted = await startConsumer();

    await eventually(async () => expect(await workQueueDepth()).toBe(0), { timeoutMs: 20_000 });
    // A clean stop hands back anything unacked: the depth staying 0 proves the redelivery was acked.
    restarted.kill('SIGTERM');
    await once(restarted, 'exit');
    expect(await workQueueDepth()).toBe(0);
    expect(await counts(event.eventId)).toEqual({ effects: 1, inbox: 1 });
  });

  it('parks a message that kills its consumer every time once over the delivery limit', async () => {
    const poisoned = { FIXTURE_EXIT: 'before-commit', FIXTURE_DELIVERY_LIMIT: '1' };
    const first = await startConsumer(poisoned);
    const event = sampleTicketCreated();
    await publish(event);
    expect(await once(first, 'exit')).toEqual([43, null]);
    // Limit 1: one redelivery is allowed, a second is not made.
    const second = await startConsumer(poisoned);
    expect(await once(second, 'exit')).toEqual([43, null]);

    const dlq = `${FIXTURE_SERVICE}.events.dlq`;
    await eventually(async () =>
      expect(await listDeadLetters({ url: vhost.url, queue: dlq })).toMatchObject([
        { eventId: event.eventId, reason: 'delivery_limit' },
      ]),
    );
    expect(await workQueueDepth()).toBe(0);
    expect(await counts(event.eventId)).toEqual({ effects: 0, inbox: 0 });
  });
});
