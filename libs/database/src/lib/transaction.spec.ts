import { DataSource, EntityManager } from 'typeorm';
import {
  createThrowawayDataSource,
  type ThrowawayDataSource,
} from '../test-support/throwaway-database';
import {
  afterCommit,
  currentManager,
  inOneSnapshot,
  isInTransaction,
  withTransaction,
} from './transaction';

/** Resolves once `parties` callers have arrived, so two transactions can be lined up deterministically. */
function barrier(parties: number): () => Promise<void> {
  let arrived = 0;
  let release!: () => void;
  const allArrived = new Promise<void>((resolve) => (release = resolve));
  return () => {
    arrived += 1;
    if (arrived === parties) release();
    return allArrived;
  };
}

function failure(code: string, message: string): Error {
  return Object.assign(new Error(message), { code });
}

describe('withTransaction', () => {
  let database: ThrowawayDataSource;
  let dataSource: DataSource;

  beforeAll(async () => {
    database = await createThrowawayDataSource(4);
    dataSource = database.dataSource;
    await dataSource.query(
      'CREATE TABLE booking (id serial PRIMARY KEY, label text NOT NULL UNIQUE)',
    );
  });

  beforeEach(async () => {
    await dataSource.query('TRUNCATE booking');
  });

  afterAll(async () => {
    await database?.close();
  });

  async function labels(): Promise<string[]> {
    const rows: Array<{ label: string }> = await dataSource.query(
      'SELECT label FROM booking ORDER BY label',
    );
    return rows.map((row) => row.label);
  }

  function book(manager: EntityManager, label: string): Promise<unknown> {
    return manager.query('INSERT INTO booking (label) VALUES ($1)', [label]);
  }

  it('commits when the work resolves, and returns its result', async () => {
    const result = await withTransaction(dataSource, async (manager) => {
      await book(manager, 'committed');
      return 'done';
    });

    expect(result).toBe('done');
    expect(await labels()).toEqual(['committed']);
  });

  it('rolls back and rethrows when the work throws', async () => {
    const problem = new Error('validation failed after the insert');

    await expect(
      withTransaction(dataSource, async (manager) => {
        await book(manager, 'rolled-back');
        throw problem;
      }),
    ).rejects.toBe(problem);

    expect(await labels()).toEqual([]);
  });

  it('keeps its writes invisible to others until it commits', async () => {
    await withTransaction(dataSource, async (manager) => {
      await book(manager, 'pending');
      expect(await labels()).toEqual([]);
    });

    expect(await labels()).toEqual(['pending']);
  });

  describe('under SERIALIZABLE write skew', () => {
    /** Both read the bookings, wait for each other, then both insert: PostgreSQL must abort one. */
    function skewedBooking(label: string, bothHaveRead: () => Promise<void>, retries: number) {
      let attempts = 0;
      const run = withTransaction(
        dataSource,
        async (manager) => {
          attempts += 1;
          await manager.query('SELECT count(*) FROM booking');
          if (attempts === 1) await bothHaveRead();
          await book(manager, label);
        },
        { isolationLevel: 'SERIALIZABLE', retries },
      );
      return { run, attempts: () => attempts };
    }

    it('fails one of them with a serialization failure when retries are off', async () => {
      const bothHaveRead = barrier(2);
      const first = skewedBooking('first', bothHaveRead, 0);
      const second = skewedBooking('second', bothHaveRead, 0);

      const outcomes = await Promise.allSettled([first.run, second.run]);

      const rejected = outcomes.filter(
        (outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected',
      );
      expect(rejected).toHaveLength(1);
      expect(rejected[0].reason).toMatchObject({ code: '40001' });
      expect(await labels()).toHaveLength(1);
    });

    it('reruns the aborted one so that both bookings succeed', async () => {
      const bothHaveRead = barrier(2);
      const first = skewedBooking('first', bothHaveRead, 3);
      const second = skewedBooking('second', bothHaveRead, 3);

      await Promise.all([first.run, second.run]);

      expect(await labels()).toEqual(['first', 'second']);
      expect(first.attempts() + second.attempts()).toBe(3);
    });
  });

  it('retries a deadlock victim', async () => {
    let attempts = 0;

    await withTransaction(dataSource, async (manager) => {
      attempts += 1;
      await book(manager, `attempt-${attempts}`);
      if (attempts === 1) throw failure('40P01', 'deadlock detected');
    });

    expect(attempts).toBe(2);
    expect(await labels()).toEqual(['attempt-2']);
  });

  it('gives up after the allowed retries and rethrows the last failure', async () => {
    let attempts = 0;

    await expect(
      withTransaction(
        dataSource,
        async () => {
          attempts += 1;
          throw failure('40001', `could not serialize access (attempt ${attempts})`);
        },
        { retries: 2 },
      ),
    ).rejects.toThrow('could not serialize access (attempt 3)');
    expect(attempts).toBe(3);
  });

  it('does not retry other failures', async () => {
    await book(dataSource.manager, 'taken');
    let attempts = 0;

    await expect(
      withTransaction(dataSource, async (manager) => {
        attempts += 1;
        await book(manager, 'taken');
      }),
    ).rejects.toMatchObject({ code: '23505' });
    expect(attempts).toBe(1);
  });

  describe('nested', () => {
    it('joins the outer transaction: same manager, same database transaction', async () => {
      await withTransaction(dataSource, async (outer) => {
        const [{ txid: outerTxid }] = await outer.query('SELECT txid_current() AS txid');
        await withTransaction(dataSource, async (inner) => {
          expect(inner).toBe(outer);
          expect(currentManager(dataSource)).toBe(outer);
          const [{ txid: innerTxid }] = await inner.query('SELECT txid_current() AS txid');
          expect(innerTxid).toBe(outerTxid);
        });
      });
    });

    it('is rolled back with the outer transaction', async () => {
      await expect(
        withTransaction(dataSource, async () => {
          await withTransaction(dataSource, (inner) => book(inner, 'inner write'));
          throw new Error('outer changes its mind');
        }),
      ).rejects.toThrow('outer changes its mind');

      expect(await labels()).toEqual([]);
    });

    it('refuses to silently weaken a requested isolation level', async () => {
      await expect(
        withTransaction(dataSource, () =>
          withTransaction(dataSource, async () => 'never', { isolationLevel: 'SERIALIZABLE' }),
        ),
      ).rejects.toThrow(/SERIALIZABLE inside an open READ COMMITTED/);
    });
  });

  describe('currentManager', () => {
    it("is the DataSource's own manager outside a transaction", () => {
      expect(currentManager(dataSource)).toBe(dataSource.manager);
      expect(isInTransaction(dataSource)).toBe(false);
    });

    it('lets code that only knows the DataSource write inside the caller’s transaction', async () => {
      const saveBooking = (label: string) => book(currentManager(dataSource), label);

      await expect(
        withTransaction(dataSource, async () => {
          expect(isInTransaction(dataSource)).toBe(true);
          await saveBooking('via currentManager');
          throw new Error('abort');
        }),
      ).rejects.toThrow('abort');

      expect(await labels()).toEqual([]);
    });

    it('does not leak the transaction to work that outlives it', async () => {
      let transactionEnded!: () => void;
      const ended = new Promise<void>((resolve) => (transactionEnded = resolve));
      let lingering: Promise<{ manager: EntityManager }> | undefined;

      await withTransaction(dataSource, async () => {
        lingering = ended.then(() => ({ manager: currentManager(dataSource) }));
      });
      transactionEnded();

      expect((await lingering)?.manager).toBe(dataSource.manager);
    });
  });

  describe('afterCommit', () => {
    it('runs callbacks once the data is visible to everyone', async () => {
      const seenByCallback: string[][] = [];

      await withTransaction(dataSource, async (manager) => {
        await book(manager, 'outbox event');
        afterCommit(dataSource, async () => {
          seenByCallback.push(await labels());
        });
      });

      expect(seenByCallback).toEqual([['outbox event']]);
    });

    it('never runs them when the transaction rolls back', async () => {
      const calls: string[] = [];

      await expect(
        withTransaction(dataSource, async () => {
          afterCommit(dataSource, () => {
            calls.push('called');
          });
          throw new Error('abort');
        }),
      ).rejects.toThrow('abort');

      expect(calls).toEqual([]);
    });

    it('runs only the callbacks of the attempt that committed', async () => {
      const calls: number[] = [];
      let attempts = 0;

      await withTransaction(dataSource, async () => {
        attempts += 1;
        const attempt = attempts;
        afterCommit(dataSource, () => {
          calls.push(attempt);
        });
        if (attempt === 1) throw failure('40001', 'could not serialize access');
      });

      expect(calls).toEqual([2]);
    });

    it('refuses to register outside a transaction', () => {
      expect(() => afterCommit(dataSource, () => undefined)).toThrow(/outside withTransaction/);
    });
  });

  describe('inOneSnapshot', () => {
    it('lets every read see the rows as of its first read, whatever commits meanwhile', async () => {
      await book(dataSource.manager, 'before');

      const seen = await inOneSnapshot(dataSource, async (manager) => {
        const first = await manager.query('SELECT count(*)::int AS n FROM booking');
        await book(dataSource.manager, 'meanwhile'); // committed on another connection
        const second = await manager.query('SELECT count(*)::int AS n FROM booking');
        return [first[0].n, second[0].n];
      });

      expect(seen).toEqual([1, 1]);
      expect(await labels()).toEqual(['before', 'meanwhile']);
    });
  });
});
