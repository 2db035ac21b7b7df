import { randomUUID } from 'node:crypto';
import {
  startAuditService,
  type AuditServiceFixture,
  type Organization,
} from '../test/audit-service-fixture';

const fieldsOf = (body: { errors?: { field: string }[] }) =>
  [...new Set((body.errors ?? []).map((error) => error.field))].sort();

describe('audit-service: reading the log', () => {
  let service: AuditServiceFixture;
  let acme: Organization;
  let other: Organization;
  const ids: Record<string, string> = {};
  const agentId = randomUUID();
  const adminId = randomUUID();
  const ticketId = randomUUID();
  const get = (path: string, by?: { auth: { Authorization: string } }) => {
    const call = service.http.get(`/api/v1/audit${path}`);
    return by ? call.set(by.auth) : call;
  };

  beforeAll(async () => {
    service = await startAuditService();
    acme = service.organization();
    other = service.organization();
    const [created, status, role, login, foreign] = await service.insertEntries([
      {
        tenantId: acme.id,
        eventType: 'ticket.created',
        action: 'created',
        entityId: ticketId,
        actorId: agentId,
        occurredAt: '2026-01-10T09:00:00.000Z',
      },
      {
        tenantId: acme.id,
        eventType: 'ticket.status_changed',
        action: 'status_changed',
        entityId: ticketId,
        actorId: agentId,
        changes: { status: { from: 'open', to: 'resolved' } },
        occurredAt: '2026-01-11T09:00:00.000Z',
      },
      {
        tenantId: acme.id,
        eventType: 'user.role_changed',
        entityType: 'user',
        action: 'role_changed',
        entityId: agentId,
        actorId: adminId,
        occurredAt: '2026-01-12T09:00:00.000Z',
      },
      {
        tenantId: acme.id,
        eventType: 'user.login_failed',
        entityType: 'user',
        action: 'login_failed',
        entityId: 'nobody@example.test',
        actorId: null,
        actorType: 'system',
        occurredAt: '2026-01-13T09:00:00.000Z',
      },
      // The same ticket id and actor in another organization.
      {
        tenantId: other.id,
        eventType: 'ticket.created',
        action: 'created',
        entityId: ticketId,
        actorId: agentId,
        occurredAt: '2026-01-10T10:00:00.000Z',
      },
    ]);
    Object.assign(ids, { created, status, role, login, foreign });
  });
  afterAll(() => service?.close());

  it('is 401 without a token and 403 below manager', async () => {
    for (const path of [
      `/${ids.created}`,
      `/entity/ticket/${ticketId}`,
      `/actor/${agentId}`,
      '/search',
      '/export/csv',
      '/retention',
    ]) {
      const response = await get(path).expect(401);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      await get(path, acme.member('agent')).expect(403);
      await get(path, acme.member('requester')).expect(403);
    }
    await get(`/${ids.created}`, acme.manager).expect(200);
    await get(`/${ids.created}`, acme.admin).expect(200);
  });

  it('answers one entry of the caller’s organization; another’s, unknown or malformed ids are 404', async () => {
    const entry = await get(`/${ids.status}`, acme.manager).expect(200);
    expect(entry.body).toEqual({
      id: ids.status,
      organizationId: acme.id,
      eventId: expect.any(String),
      eventType: 'ticket.status_changed',
      entityType: 'ticket',
      entityId: ticketId,
      actorId: agentId,
      actorType: 'user',
      action: 'status_changed',
      changes: { status: { from: 'open', to: 'resolved' } },
      ip: null,
      userAgent: null,
      correlationId: expect.any(String),
      occurredAt: '2026-01-11T09:00:00.000Z',
      payload: null,
    });
    await get(`/${ids.foreign}`, acme.manager).expect(404);
    await get(`/${randomUUID()}`, acme.manager).expect(404);
    const malformed = await get('/not-a-uuid', acme.manager).expect(404);
    expect(malformed.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it('gives an entity’s trail only from the caller’s organization, 404 when it has none', async () => {
    const own = await get(`/entity/ticket/${ticketId}`, acme.manager).expect(200);
    expect(own.body.data.map((entry: { id: string }) => entry.id)).toEqual([
      ids.created,
      ids.status,
    ]);
    const theirs = await get(`/entity/ticket/${ticketId}`, other.manager).expect(200);
    expect(theirs.body.data.map((entry: { id: string }) => entry.id)).toEqual([ids.foreign]);
    await get(`/entity/ticket/${randomUUID()}`, acme.manager).expect(404);
    await get(`/entity/user/${ticketId}`, acme.manager).expect(404);
    // Ids up to the envelope's 200 characters are addressable (createHttpApp raises Fastify's 100).
    await get(`/entity/ticket/${'x'.repeat(200)}`, acme.manager).expect(404);
    await get(`/entity/user/nobody%40example.test`, acme.manager).expect(200);
    await get(`/entity/ticket/${ticketId}?limit=0`, acme.manager).expect(400);
  });

  it('gives an actor’s trail newest first, 404 for an actor with nothing in the organization', async () => {
    const trail = await get(`/actor/${agentId}`, acme.manager).expect(200);
    expect(trail.body.data.map((entry: { id: string }) => entry.id)).toEqual([
      ids.status,
      ids.created,
    ]);
    expect(trail.body.pagination.total).toBe(2);
    await get(`/actor/${adminId}`, other.manager).expect(404);
    await get(`/actor/${randomUUID()}`, acme.manager).expect(404);
  });

  it('searches by every filter, newest first, within the organization', async () => {
    const search = async (query: string) =>
      (await get(`/search?${query}`, acme.manager).expect(200)).body.data.map(
        (entry: { id: string }) => entry.id,
      );
    expect(await search('')).toEqual([ids.login, ids.role, ids.status, ids.created]);
    expect(await search('entityType=user')).toEqual([ids.login, ids.role]);
    expect(await search(`entityType=ticket&entityId=${ticketId}`)).toEqual([
      ids.status,
      ids.created,
    ]);
    expect(await search(`actorId=${adminId}`)).toEqual([ids.role]);
    expect(await search('action=created')).toEqual([ids.created]);
    expect(await search('eventType=user.login_failed')).toEqual([ids.login]);
    expect(await search('from=2026-01-11T09:00:00Z&to=2026-01-12T09:00:00.000Z')).toEqual([
      ids.role,
      ids.status,
    ]);
    expect(await search('from=2026-01-12')).toEqual([ids.login, ids.role]);
    expect(await search('to=2026-01-10T09:00:00')).toEqual([ids.created]);
    expect(await search('action=created&eventType=user.login_failed')).toEqual([]);
    const page = await get('/search?limit=1&page=2', acme.manager).expect(200);
    expect(page.body.data.map((entry: { id: string }) => entry.id)).toEqual([ids.role]);
    expect(page.body.pagination).toEqual({
      page: 2,
      limit: 1,
      total: 4,
      totalPages: 4,
      hasNext: true,
      hasPrev: true,
    });
    const clamped = await get('/search?limit=500', acme.manager).expect(200);
    expect(clamped.body.pagination.limit).toBe(100);
  });

  it('refuses invalid filters with 400 naming each field', async () => {
    const refused = async (query: string, fields: string[]) => {
      const response = await get(`/search?${query}`, acme.manager).expect(400);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(fieldsOf(response.body)).toEqual(fields);
    };
    await refused('from=yesterday&to=2026-13-01', ['from', 'to']);
    await refused('from=2026-02-01&to=2026-01-01', ['to']);
    await refused(`entityId=${'x'.repeat(201)}&actorId=${'y'.repeat(201)}`, [
      'actorId',
      'entityId',
    ]);
    await refused('action=a&action=b', ['action']);
    await refused('page=0&limit=abc', ['limit', 'page']);
    await refused('tenantId=someone', ['tenantId']);
    // Export takes the same filters, and no page.
    const csv = await get('/export/csv?from=2026-02-01&to=2026-01-01', acme.manager).expect(400);
    expect(fieldsOf(csv.body)).toEqual(['to']);
    expect(fieldsOf((await get('/export/csv?page=2', acme.manager).expect(400)).body)).toEqual([
      'page',
    ]);
  });
});
