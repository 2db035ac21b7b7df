import { Client } from 'pg';
import { createTestDatabase, sweepStaleTestDatabases, testDatabaseAdminUrl } from './test-database';

async function existingDatabases(names: string[]): Promise<string[]> {
  const client = new Client({ connectionString: testDatabaseAdminUrl() });
  await client.connect();
  try {
    const { rows } = await client.query<{ datname: string }>(
      'SELECT datname FROM pg_database WHERE datname = ANY($1) ORDER BY datname',
      [names],
    );
    return rows.map((row) => row.datname);
  } finally {
    await client.end();
  }
}

describe('createTestDatabase', () => {
  it('creates an empty database that its URL connects to', async () => {
    const database = await createTestDatabase({ prefix: 'tickets' });
    const client = new Client({ connectionString: database.url });
    try {
      await client.connect();
      const { rows } = await client.query(
        `SELECT current_database() AS name,
                (SELECT count(*)::int FROM information_schema.tables WHERE table_schema = 'public') AS tables`,
      );

      expect(database.name).toMatch(/^t_tickets_/);
      expect(rows).toEqual([{ name: database.name, tables: 0 }]);
    } finally {
      await client.end();
      await database.drop();
    }
  });

  it('gives every caller a database of its own', async () => {
    const [first, second] = await Promise.all([
      createTestDatabase({ prefix: 'same prefix!' }),
      createTestDatabase({ prefix: 'same prefix!' }),
    ]);

    expect(first.name).not.toBe(second.name);
    expect(first.name).toMatch(/^t_same_prefix_/);
    await Promise.all([first.drop(), second.drop()]);
  });

  it('drops the database even while connections to it are still open', async () => {
    const database = await createTestDatabase({ prefix: 'dropped' });
    const forgottenConnection = new Client({ connectionString: database.url });
    forgottenConnection.on('error', () => undefined); // it is terminated by the drop
    await forgottenConnection.connect();

    await database.drop();
    await database.drop();

    expect(await existingDatabases([database.name])).toEqual([]);
    await forgottenConnection.end().catch(() => undefined);
  });

  it('sweeps only stale test databases', async () => {
    const fresh = await createTestDatabase({ prefix: 'fresh' });
    const killedRunName = `t_killed_${Math.floor(Date.now() / 1000 - 7 * 3600).toString(36)}_0badc0de`;
    // Shaped like a stamped name, but its "stamp" is a word: someone else's live database.
    const lookalikeName = `t_platform_build_${Math.floor(Math.random() * 0xffffffff)
      .toString(16)
      .padStart(8, '0')}`;
    const client = new Client({ connectionString: testDatabaseAdminUrl() });
    await client.connect();
    await client.query(`CREATE DATABASE ${killedRunName}`);
    await client.query(`CREATE DATABASE ${lookalikeName}`);

    const swept = await sweepStaleTestDatabases(6);

    // Another test process's own sweep may drop the stale one first (each sweeps once at
    // start), so what counts is that it is gone while the others stay.
    expect(swept).not.toContain(lookalikeName);
    expect(await existingDatabases([killedRunName, lookalikeName, fresh.name])).toEqual(
      [lookalikeName, fresh.name].sort(),
    );
    await client.query(`DROP DATABASE ${lookalikeName}`);
    await client.end();
    await fresh.drop();
  });
});
