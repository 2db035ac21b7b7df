import { randomUUID } from 'node:crypto';
import {
  startUserService,
  type SignedUp,
  type UserServiceFixture,
} from '../test/user-service-fixture';

const bearer = (who: { accessToken: string }) => ({ Authorization: `Bearer ${who.accessToken}` });
const fieldsOf = (body: { errors?: { field: string }[] }) =>
  [...new Set((body.errors ?? []).map((error) => error.field))].sort();

const SQL_NAME = `Robert'); DROP TABLE "user";--`;
const HTML_NAME = '<script>alert(1)</script>';

describe('user-service directory: /departments', () => {
  let service: UserServiceFixture;
  let admin: SignedUp;
  let agent: SignedUp;
  let otherAdmin: SignedUp;
  const http = () => service.http;
  const create = (by: SignedUp, body: Record<string, unknown>) =>
    http().post('/api/v1/departments').set(bearer(by)).send(body);
  const eventsAbout = async (eventType: string, aggregateId: string) =>
    (await service.outbox(eventType))
      .filter((row) => row.envelope.aggregateId === aggregateId)
      .map((row) => row.envelope);

  beforeAll(async () => {
    service = await startUserService();
    [admin, otherAdmin] = await Promise.all([service.signUp(), service.signUp()]);
    agent = await service.addMember(admin, 'agent');
  });
  afterAll(() => service?.close());

  it('is 401 without a token', async () => {
    await http().get('/api/v1/departments').expect(401);
    await http().post('/api/v1/departments').send({ name: 'X' }).expect(401);
    await http().patch(`/api/v1/departments/${randomUUID()}`).send({ name: 'X' }).expect(401);
    await http().delete(`/api/v1/departments/${randomUUID()}`).expect(401);
  });

  it('creates a department, raising department.created once', async () => {
    const response = await create(admin, {
      name: 'Billing',
      description: 'Invoices & refunds',
    }).expect(201);
    expect(response.body).toEqual({
      id: expect.any(String),
      organizationId: admin.organization.id,
      name: 'Billing',
      description: 'Invoices & refunds',
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    const events = await eventsAbout('department.created', response.body.id);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      tenantId: admin.organization.id,
      aggregateType: 'department',
      aggregateVersion: 1,
      payload: {
        departmentId: response.body.id,
        name: 'Billing',
        description: 'Invoices & refunds',
      },
      metadata: { actorId: admin.user.id, actorType: 'user' },
    });
    const bare = await create(admin, { name: 'Bare' }).expect(201);
    expect(bare.body.description).toBeNull();
  });

  it('is 409 for a name used in the organization (ignoring case), fine in another', async () => {
    await create(admin, { name: 'Sales' }).expect(201);
    const duplicate = await create(admin, { name: 'SALES' }).expect(409);
    expect(duplicate.body.status).toBe(409);
    await create(otherAdmin, { name: 'sales' }).expect(201);
  });

  it('stores SQL and HTML verbatim', async () => {
    const response = await create(admin, { name: SQL_NAME, description: HTML_NAME }).expect(201);
    expect(response.body).toMatchObject({ name: SQL_NAME, description: HTML_NAME });
    const listed = await http().get('/api/v1/departments?limit=100').set(bearer(agent)).expect(200);
    expect(
      listed.body.data.find((department: { id: string }) => department.id === response.body.id),
    ).toMatchObject({
      name: SQL_NAME,
      description: HTML_NAME,
    });
  });

  it('lists the organization’s departments to any member, by name, paginated', async () => {
    const response = await http().get('/api/v1/departments').set(bearer(agent)).expect(200);
    const names = response.body.data.map((department: { name: string }) => department.name);
    expect(names).toEqual(expect.arrayContaining(['Bare', 'Billing', 'Sales']));
    expect(names.map((name: string) => name.toLowerCase())).toEqual(
      [...names].map((name) => name.toLowerCase()).sort(),
    );
    for (const department of response.body.data)
      expect(department.organizationId).toBe(admin.organization.id);
    expect(response.body.pagination).toMatchObject({
      page: 1,
      limit: 20,
      total: names.length,
      hasNext: false,
      hasPrev: false,
    });

    const paged = await http()
      .get('/api/v1/departments?limit=1&page=2&sort=-createdAt')
      .set(bearer(agent))
      .expect(200);
    expect(paged.body.data).toHaveLength(1);
    expect(paged.body.pagination).toMatchObject({
      page: 2,
      limit: 1,
      total: names.length,
      hasPrev: true,
    });
    await http().get('/api/v1/departments?sort=secret').set(bearer(agent)).expect(400);

    const other = await http().get('/api/v1/departments').set(bearer(otherAdmin)).expect(200);
    expect(other.body.data.map((department: { name: string }) => department.name)).toEqual([
      'sales',
    ]);
  });

  it('refuses changes to non-admins (403)', async () => {
    const department = (await create(admin, { name: 'Guarded' }).expect(201)).body;
    await create(agent, { name: 'Agents only' }).expect(403);
    await http()
      .patch(`/api/v1/departments/${department.id}`)
      .set(bearer(agent))
      .send({ name: 'Mine' })
      .expect(403);
    await http().delete(`/api/v1/departments/${department.id}`).set(bearer(agent)).expect(403);
  });

  it('updates, raising department.updated with only the changes, once per change', async () => {
    const department = (
      await create(admin, { name: 'Onboarding', description: 'first steps' }).expect(201)
    ).body;
    const renamed = await http()
      .patch(`/api/v1/departments/${department.id}`)
      .set(bearer(admin))
      .send({ name: 'Customer Onboarding' })
      .expect(200);
    expect(renamed.body).toMatchObject({
      id: department.id,
      name: 'Customer Onboarding',
      description: 'first steps',
    });
    await http()
      .patch(`/api/v1/departments/${department.id}`)
      .set(bearer(admin))
      .send({ name: 'Customer Onboarding' })
      .expect(200);
    const cleared = await http()
      .patch(`/api/v1/departments/${department.id}`)
      .set(bearer(admin))
      .send({ description: null })
      .expect(200);
    expect(cleared.body.description).toBeNull();

    expect(
      (await eventsAbout('department.updated', department.id)).map((event) => event.payload),
    ).toEqual([
      {
        departmentId: department.id,
        changes: { name: { from: 'Onboarding', to: 'Customer Onboarding' } },
      },
      { departmentId: department.id, changes: { description: { from: 'first steps', to: null } } },
    ]);
    await http()
      .patch(`/api/v1/departments/${department.id}`)
      .set(bearer(admin))
      .send({ name: 'billing' })
      .expect(409);
  });

  it('is 404 for another organization’s department, an unknown or malformed id', async () => {
    const foreign = (await create(otherAdmin, { name: 'Theirs' }).expect(201)).body;
    for (const id of [foreign.id, randomUUID(), 'nope']) {
      await http().get(`/api/v1/departments/${id}`).set(bearer(admin)).expect(404);
      await http()
        .patch(`/api/v1/departments/${id}`)
        .set(bearer(admin))
        .send({ name: 'Ours' })
        .expect(404);
      await http().delete(`/api/v1/departments/${id}`).set(bearer(admin)).expect(404);
    }
    expect(
      (await http().get(`/api/v1/departments/${foreign.id}`).set(bearer(otherAdmin)).expect(200))
        .body.name,
    ).toBe('Theirs');
  });

  it.each([
    [{}, ['name']],
    [{ name: '' }, ['name']],
    [{ name: '   ' }, ['name']],
    [{ name: 'x'.repeat(201) }, ['name']],
    [{ name: 7, description: 8 }, ['description', 'name']],
    [{ name: 'Ok', description: 'x'.repeat(2001) }, ['description']],
    [{ name: 'Ok', organizationId: randomUUID() }, ['organizationId']],
  ])('refuses to create %j (400 naming %j)', async (body, fields) => {
    const response = await create(admin, body).expect(400);
    expect(fieldsOf(response.body)).toEqual(fields);
  });

  it('refuses invalid changes (400)', async () => {
    const department = (await create(admin, { name: 'Valid' }).expect(201)).body;
    const response = await http()
      .patch(`/api/v1/departments/${department.id}`)
      .set(bearer(admin))
      .send({ name: null, description: 5, tenantId: randomUUID() })
      .expect(400);
    expect(fieldsOf(response.body)).toEqual(['description', 'name', 'tenantId']);
  });

  it('deletes a department: its users stay, without it; department.deleted once', async () => {
    const department = (await create(admin, { name: 'Doomed' }).expect(201)).body;
    const member = (
      await http()
        .post('/api/v1/users')
        .set(bearer(admin))
        .send({
          email: `member-${randomUUID().slice(0, 6)}@x.test`,
          name: 'Member',
          role: 'agent',
          departmentId: department.id,
        })
        .expect(201)
    ).body;
    await http()
      .patch(`/api/v1/users/${agent.user.id}`)
      .set(bearer(admin))
      .send({ departmentId: department.id })
      .expect(200);

    await http().delete(`/api/v1/departments/${department.id}`).set(bearer(admin)).expect(204);

    await http().get(`/api/v1/departments/${department.id}`).set(bearer(admin)).expect(404);
    await http().delete(`/api/v1/departments/${department.id}`).set(bearer(admin)).expect(404);
    for (const id of [member.id, agent.user.id]) {
      const user = await http().get(`/api/v1/users/${id}`).set(bearer(admin)).expect(200);
      expect(user.body.departmentId).toBeNull();
    }
    const events = await eventsAbout('department.deleted', department.id);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      payload: { departmentId: department.id },
      metadata: { actorId: admin.user.id },
    });

    const assign = await http()
      .patch(`/api/v1/users/${member.id}`)
      .set(bearer(admin))
      .send({ departmentId: department.id })
      .expect(400);
    expect(assign.body.errors).toEqual([{ field: 'departmentId', message: expect.any(String) }]);
  });
});
