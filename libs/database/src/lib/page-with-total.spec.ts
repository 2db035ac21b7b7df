import { DataSource } from 'typeorm';
import {
  createThrowawayDataSource,
  type ThrowawayDataSource,
} from '../test-support/throwaway-database';
import { pageWithTotal, type PageSelection } from './page-with-total';

describe('pageWithTotal', () => {
  let database: ThrowawayDataSource;
  let dataSource: DataSource;

  beforeAll(async () => {
    database = await createThrowawayDataSource(8);
    dataSource = database.dataSource;
    await dataSource.query(
      `CREATE TABLE entry (id serial PRIMARY KEY, ledger text NOT NULL, amount int NOT NULL)`,
    );
  });

  beforeEach(async () => {
    await dataSource.query('TRUNCATE entry RESTART IDENTITY');
  });

  afterAll(async () => {
    await database?.close();
  });

  const ledgerPage = (ledger: string, offset: number, limit: number): PageSelection => ({
    columns: 'id, amount',
    from: 'entry',
    where: 'ledger = $1',
    parameters: [ledger],
    orderBy: 'amount DESC, id ASC',
    offset,
    limit,
  });

  async function book(ledger: string, ...amounts: number[]): Promise<void> {
    await dataSource.query('INSERT INTO entry (ledger, amount) SELECT $1, unnest($2::int[])', [
      ledger,
      amounts,
    ]);
  }

  it('returns the page in its order, with the total of every match', async () => {
    await book('a', 5, 9, 1, 9, 7);
    await book('b', 100);

    const first = await pageWithTotal<{ id: number; amount: number }>(
      dataSource,
      ledgerPage('a', 0, 3),
    );
    const second = await pageWithTotal(dataSource, ledgerPage('a', 3, 3));

    expect(first).toEqual({
      rows: [
        { id: 2, amount: 9 },
        { id: 4, amount: 9 },
        { id: 5, amount: 7 },
      ],
      total: 5,
    });
    expect(second).toEqual({
      rows: [
        { id: 1, amount: 5 },
        { id: 3, amount: 1 },
      ],
      total: 5,
    });
  });

  it('still gives the total for a page past the end, and zero for no match', async () => {
    await book('a', 1, 2);

    expect(await pageWithTotal(dataSource, ledgerPage('a', 40, 20))).toEqual({
      rows: [],
      total: 2,
    });
    expect(await pageWithTotal(dataSource, ledgerPage('nobody', 0, 20))).toEqual({
      rows: [],
      total: 0,
    });
  });

  it('never shows a total that disagrees with the rows, while rows are being added', async () => {
    // Everything fits on one page, so the page must hold exactly `total` rows.
    // Two statements (page, then count) disagree here within a few reads.
    let writing = true;
    const writer = (async () => {
      while (writing) await book('busy', 1);
    })();
    const disagreements: string[] = [];
    try {
      for (let round = 0; round < 40; round += 1) {
        const reads = await Promise.all(
          Array.from({ length: 5 }, () => pageWithTotal(dataSource, ledgerPage('busy', 0, 10_000))),
        );
        for (const { rows, total } of reads)
          if (rows.length !== total) disagreements.push(`${rows.length} rows, total ${total}`);
      }
    } finally {
      writing = false;
      await writer;
    }
    expect(disagreements).toEqual([]);
  });
});
