import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { runMigrations, withTransaction } from '@helpdesk/database';
import { createTestDatabase, type TestDatabase } from '@helpdesk/testing';
import { userDirectoryMigrations } from './directory-replica.migration';
import { Directory } from './directory';

describe('Directory (the local replica of the user directory)', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  let directory: Directory;
  const acme = randomUUID();
  const globex = randomUUID();
  const support = randomUUID();

  async function user(
    tenantId: string,
    role: string,
    options: {
      department?: string | null;
      active?: boolean;
      deleted?: boolean;
      name?: string;
    } = {},
  ) {
    const id = randomUUID();
    await dataSource.query(
      `INSERT INTO directory_user (id, tenant_id, email, name, role, department_id, active, deleted_at, version)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1)`,
      [
        id,
        tenantId,
        `${id}@x.test`,
        options.name ?? `${role} ${id.slice(0, 4)}`,
        role,
        options.department ?? null,
        options.active ?? true,
        options.deleted ? new Date() : null,
      ],
    );
    return id;
  }

  beforeAll(async () => {
    database = await createTestDatabase({ prefix: 'directory' });
    dataSource = new DataSource({
      type: 'postgres',
      url: database.url,
      migrations: userDirectoryMigrations,
    });
    await dataSource.initialize();
    await runMigrations(dataSource);
    directory = new Directory(dataSource);
    await dataSource.query(
      `INSERT INTO directory_department (id, tenant_id, name, version) VALUES ($1, $2, 'Support', 1)`,
      [support, acme],
    );
  });
  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  it('finds the live members with given roles, in a department or anywhere, never of another organization', async () => {
    const inSupport = await user(acme, 'agent', { department: support, name: 'A' });
    const elsewhere = await user(acme, 'agent', { name: 'B' });
    await user(acme, 'agent', { department: support, active: false });
    await user(acme, 'agent', { department: support, deleted: true });
    const manager = await user(acme, 'manager');
    await user(globex, 'agent');

    expect(
      (await directory.members(acme, { roles: ['agent'], departmentId: support })).map((u) => u.id),
    ).toEqual([inSupport]);
    expect((await directory.members(acme, { roles: ['agent'] })).map((u) => u.id)).toEqual([
      inSupport,
      elsewhere,
    ]);
    expect(
      (await directory.members(acme, { roles: ['agent'], departmentId: null })).map((u) => u.id),
    ).toEqual([elsewhere]);
    expect((await directory.members(acme, { roles: ['manager'] })).map((u) => u.id)).toEqual([
      manager,
    ]);
  });

  it('looks users and departments up within one organization only', async () => {
    const agent = await user(acme, 'agent');
    expect(await directory.user(acme, agent)).toMatchObject({
      id: agent,
      tenantId: acme,
      role: 'agent',
      deleted: false,
    });
    expect(await directory.user(globex, agent)).toBeUndefined();
    expect(await directory.hasDepartment(acme, support)).toBe(true);
    expect(await directory.hasDepartment(globex, support)).toBe(false);
  });

  it('can hold a user row until commit (forShare), inside a transaction', async () => {
    const agent = await user(acme, 'agent');
    await withTransaction(dataSource, async () => {
      expect(await directory.user(acme, agent, { forShare: true })).toMatchObject({ id: agent });
    });
  });
});
