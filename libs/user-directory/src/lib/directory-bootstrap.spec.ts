import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { DataSource } from 'typeorm';
import { ServiceTokens } from '@helpdesk/auth';
import { runMigrations } from '@helpdesk/database';
import { createTestDatabase, type TestDatabase } from '@helpdesk/testing';
import { DirectoryBootstrap } from './directory-bootstrap';
import { userDirectoryMigrations } from './directory-replica.migration';

/** Plays user-service's /internal/directory, one row per page to prove the paging. */
type Row = { id: string } & Record<string, unknown>;

function snapshotServer(data: Record<string, Row[]>, seen: string[]): http.Server {
  return http.createServer((request, response) => {
    seen.push(String(request.headers.authorization));
    const url = new URL(request.url ?? '/', 'http://x');
    const rows = data[url.pathname.split('/').pop() ?? ''] ?? [];
    const after = url.searchParams.get('after');
    const start = after ? rows.findIndex((row) => row.id === after) + 1 : 0;
    const page = rows.slice(start, start + 1);
    response.writeHead(200, { 'Content-Type': 'application/json' });
    response.end(
      JSON.stringify({ data: page, next: start + 1 < rows.length ? page[0]?.id : null }),
    );
  });
}

describe('DirectoryBootstrap: a late replica fills itself from user-service once', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  let server: http.Server;
  const seen: string[] = [];
  const tenant = randomUUID();
  const support = randomUUID();
  const [ada, alan] = [randomUUID(), randomUUID()];
  const previous = process.env['USER_DIRECTORY_SNAPSHOT_URL'];

  beforeAll(async () => {
    database = await createTestDatabase({ prefix: 'bootstrap' });
    dataSource = new DataSource({
      type: 'postgres',
      url: database.url,
      migrations: userDirectoryMigrations,
    });
    await dataSource.initialize();
    await runMigrations(dataSource);
    server = snapshotServer(
      {
        organizations: [
          { id: tenant, name: 'Acme', businessHours: null, timezone: 'UTC', version: 2 } as {
            id: string;
          },
        ],
        departments: [{ id: support, tenantId: tenant, name: 'Support', version: 1 }],
        users: [
          {
            id: ada,
            tenantId: tenant,
            email: 'ada@acme.test',
            name: 'Ada',
            role: 'admin',
            departmentId: null,
            active: true,
            version: 1,
          },
          {
            id: alan,
            tenantId: tenant,
            email: 'alan@acme.test',
            name: 'Alan',
            role: 'agent',
            departmentId: support,
            active: true,
            version: 3,
          },
        ],
      },
      seen,
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    process.env['USER_DIRECTORY_SNAPSHOT_URL'] =
      `http://127.0.0.1:${(server.address() as AddressInfo).port}/internal/directory`;
  });
  afterAll(async () => {
    if (previous === undefined) delete process.env['USER_DIRECTORY_SNAPSHOT_URL'];
    else process.env['USER_DIRECTORY_SNAPSHOT_URL'] = previous;
    server?.close();
    await dataSource?.destroy();
    await database?.drop();
  });

  it('inserts what the replica lacks, keeps what events already brought, and runs once per database', async () => {
    // An event already brought Alan at a newer version: the snapshot must not take him back.
    await dataSource.query(
      `INSERT INTO directory_user (id, tenant_id, email, name, role, active, version) VALUES ($1, $2, 'alan@acme.test', 'Alan Newer', 'manager', true, 4)`,
      [alan, tenant],
    );
    const bootstrap = new DirectoryBootstrap(
      dataSource,
      new ServiceTokens({ serviceName: 'notification-service', secret: Buffer.alloc(32, 7) }),
    );

    expect(await bootstrap.runOnce()).toBe(true);

    expect(seen.every((header) => header.startsWith('Bearer '))).toBe(true);
    expect(
      await dataSource.query(
        'SELECT name, timezone, version FROM directory_organization WHERE id = $1',
        [tenant],
      ),
    ).toEqual([{ name: 'Acme', timezone: 'UTC', version: 2 }]);
    const users = await dataSource.query(
      'SELECT id, name, role, department_id, version FROM directory_user ORDER BY name',
    );
    expect(users).toEqual([
      { id: ada, name: 'Ada', role: 'admin', department_id: null, version: 1 },
      { id: alan, name: 'Alan Newer', role: 'manager', department_id: null, version: 4 },
    ]);
    expect(await bootstrap.runOnce()).toBe(false);
  });
});
