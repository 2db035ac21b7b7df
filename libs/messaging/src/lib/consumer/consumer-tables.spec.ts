import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { createDataSource, runMigrations, withTransaction } from '@helpdesk/database';
import { createTestDatabase, type TestDatabase } from '@helpdesk/testing';
import { applyIfNewer } from './apply-if-newer';
import { purgeInbox, recordInInbox } from './inbox';
import { consumerMigrations } from './inbox.migration';

describe('the consumer tables (inbox, applied versions)', () => {
  let database: TestDatabase;
  let dataSource: DataSource;

  beforeAll(async () => {
    database = await createTestDatabase({ prefix: 'inbox' });
    dataSource = createDataSource({
      serviceName: 'inbox-spec',
      entities: [],
      migrations: [...consumerMigrations],
      env: { INBOX_SPEC_DATABASE_URL: database.url },
      poolSize: 2,
    });
    await dataSource.initialize();
    await runMigrations(dataSource, { logger: { log: () => undefined, error: () => undefined } });
  });

  afterAll(async () => {
    await dataSource.destroy();
    await database.drop();
  });

  it('records an event once per consumer', async () => {
    const event = { eventId: randomUUID(), eventType: 'ticket.created' };
    const record = (consumer: string): Promise<boolean> =>
      withTransaction(dataSource, (manager) => recordInInbox(manager, consumer, event));

    expect(await record('a-service')).toBe(true);
    expect(await record('a-service')).toBe(false);
    expect(await record('b-service')).toBe(true);
  });

  it('purges only the consumer’s rows older than the retention', async () => {
    const insert = (consumer: string, daysAgo: number): Promise<unknown> =>
      dataSource.query(
        `INSERT INTO inbox (consumer, event_id, event_type, received_at)
         VALUES ($1, $2, 'ticket.created', now() - make_interval(days => $3))`,
        [consumer, randomUUID(), daysAgo],
      );
    for (const daysAgo of [40, 31, 29, 1]) await insert('purge-service', daysAgo);
    await insert('other-service', 40);

    expect(await purgeInbox(dataSource, 'purge-service', 30)).toBe(2);
    const rows = (await dataSource.query(
      `SELECT consumer, count(*)::int AS n FROM inbox WHERE consumer IN ('purge-service', 'other-service')
       GROUP BY consumer ORDER BY consumer`,
    )) as Array<{ consumer: string; n: number }>;
    expect(rows).toEqual([
      { consumer: 'other-service', n: 1 },
      { consumer: 'purge-service', n: 2 },
    ]);
  });

  it('applies an aggregate’s events only when newer than the last applied', async () => {
    const aggregate = { aggregateType: 'ticket', aggregateId: randomUUID() };
    const applied: number[] = [];
    const deliver = (aggregateVersion: number): Promise<boolean> =>
      withTransaction(dataSource, () =>
        applyIfNewer(dataSource, 'ticket-list', { ...aggregate, aggregateVersion }, async () => {
          applied.push(aggregateVersion);
        }),
      );

    const outcomes = [];
    for (const version of [1, 3, 2, 3, 4]) outcomes.push(await deliver(version));

    expect(outcomes).toEqual([true, true, false, false, true]);
    expect(applied).toEqual([1, 3, 4]);
    // Another projection keeps its own count.
    await expect(
      withTransaction(dataSource, () =>
        applyIfNewer(
          dataSource,
          'ticket-stats',
          { ...aggregate, aggregateVersion: 2 },
          async () => undefined,
        ),
      ),
    ).resolves.toBe(true);
    await expect(
      applyIfNewer(
        dataSource,
        'ticket-list',
        { ...aggregate, aggregateVersion: 9 },
        async () => undefined,
      ),
    ).rejects.toThrow(/inside the transaction/);
  });
});
