import { randomUUID } from 'node:crypto';
import { eventually } from '@helpdesk/testing';
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

describe('user-service directory: /users and /admin/users', () => {
  let service: UserServiceFixture;
  let admin: SignedUp;
  let agent: SignedUp;
  let requester: SignedUp;
  let otherAdmin: SignedUp;
  let departmentId: string;
  let otherDepartmentId: string;
  const http = () => service.http;

  /** Outbox rows of one type about one aggregate. */
  const eventsAbout = async (eventType: string, aggregateId: string) =>
    (await service.outbox(eventType))
      .filter((row) => row.envelope.aggregateId === aggregateId)
      .map((row) => row.envelope);

  const invite = (by: SignedUp, body: Record<string, unknown>) =>
    http().post('/api/v1/users').set(bearer(by)).send(body);

  const createDepartment = async (by: SignedUp, name: string): Promise<string> =>
    (await http().post('/api/v1/departments').set(bearer(by)).send({ name }).expect(201)).body.id;

  beforeAll(async () => {
    service = await startUserService({ AUTH_REVOCATION_POLL_MS: '200' });
    [admin, otherAdmin] = await Promise.all([service.signUp(), service.signUp()]);
    agent = await service.addMember(admin, 'agent');
    requester = await service.addMember(admin, 'requester');
    departmentId = await createDepartment(admin, 'Support');
    otherDepartmentId = await createDepartment(otherAdmin, 'Support');
  });
  afterAll(() => service?.close());

  describe('authentication and roles', () => {
    it.each([
      ['get', '/api/v1/users'],
      ['get', `/api/v1/users/${randomUUID()}`],
      ['post', '/api/v1/users'],
      ['patch', `/api/v1/users/${randomUUID()}`],
      ['patch', `/api/v1/users/${randomUUID()}/role`],
      ['delete', `/api/v1/users/${randomUUID()}`],
      ['get', '/api/v1/admin/users'],
      ['get', '/api/v1/admin/agents'],
    ] as const)('%s %s without a token is 401', async (method, path) => {
      const response = await http()[method](path).expect(401);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    });

    it('refuses the user list to a requester (403)', async () => {
      const response = await http().get('/api/v1/users').set(bearer(requester)).expect(403);
      expect(response.body.status).toBe(403);
    });

    it.each([
      ['post', '/api/v1/users', { email: 'x@y.test', name: 'X', role: 'agent' }],
      ['patch', '/role', { role: 'admin' }],
      ['delete', '', undefined],
    ] as const)('refuses %s by an agent (403)', async (method, suffix, body) => {
      const path = method === 'post' ? suffix : `/api/v1/users/${requester.user.id}${suffix}`;
      await http()[method](path).set(bearer(agent)).send(body).expect(403);
    });

    it('refuses the admin views to an agent (403)', async () => {
      await http().get('/api/v1/admin/users').set(bearer(agent)).expect(403);
      await http().get('/api/v1/admin/agents').set(bearer(agent)).expect(403);
      await http()
        .patch(`/api/v1/admin/users/${requester.user.id}/role`)
        .set(bearer(agent))
        .send({ role: 'admin' })
        .expect(403);
      await http()
        .delete(`/api/v1/admin/users/${requester.user.id}`)
        .set(bearer(agent))
        .expect(403);
    });
  });

  describe('GET /users', () => {
    it('lists the organization’s users, newest first, paginated, without hashes', async () => {
      const response = await http().get('/api/v1/users').set(bearer(agent)).expect(200);
      const ids = response.body.data.map((user: { id: string }) => user.id);
      expect(ids).toEqual(
        expect.arrayContaining([admin.user.id, agent.user.id, requester.user.id]),
      );
      expect(ids).not.toContain(otherAdmin.user.id);
      expect(ids.indexOf(requester.user.id)).toBeLessThan(ids.indexOf(admin.user.id));
      expect(response.body.pagination).toMatchObject({
        page: 1,
        limit: 20,
        total: ids.length,
        hasPrev: false,
      });
      for (const user of response.body.data) {
        expect(user.organizationId).toBe(admin.organization.id);
        expect(user).not.toHaveProperty('passwordHash');
      }
      expect(response.body.data.find((user: { id: string }) => user.id === agent.user.id)).toEqual({
        id: agent.user.id,
        organizationId: admin.organization.id,
        email: agent.email,
        name: 'agent person',
        role: 'agent',
        departmentId: null,
        passwordSet: true,
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
      });
    });

    it('pages, and clamps a limit above 100', async () => {
      const first = await http().get('/api/v1/users?limit=1&page=2').set(bearer(admin)).expect(200);
      expect(first.body.data).toHaveLength(1);
      expect(first.body.pagination).toMatchObject({ page: 2, limit: 1, hasPrev: true });
      const clamped = await http().get('/api/v1/users?limit=1000').set(bearer(admin)).expect(200);
      expect(clamped.body.pagination.limit).toBe(100);
    });

    it('filters by role, department and part of the name or e-mail (ignoring case)', async () => {
      const invited = await invite(admin, {
        email: `filter-${randomUUID()}@x.test`,
        name: 'Filtered Fiona',
        role: 'manager',
        departmentId,
      }).expect(201);

      const byRole = await http().get('/api/v1/users?role=manager').set(bearer(agent)).expect(200);
      expect(byRole.body.data.map((user: { id: string }) => user.id)).toEqual([invited.body.id]);

      const byDepartment = await http()
        .get(`/api/v1/users?departmentId=${departmentId}`)
        .set(bearer(agent))
        .expect(200);
      expect(byDepartment.body.data.map((user: { id: string }) => user.id)).toEqual([
        invited.body.id,
      ]);

      const byName = await http()
        .get('/api/v1/users?q=ILTERED%20fio')
        .set(bearer(agent))
        .expect(200);
      expect(byName.body.data.map((user: { id: string }) => user.id)).toEqual([invited.body.id]);

      const byEmail = await http()
        .get(`/api/v1/users?q=${encodeURIComponent(agent.email.slice(0, 12).toUpperCase())}`)
        .set(bearer(agent))
        .expect(200);
      expect(byEmail.body.data.map((user: { id: string }) => user.id)).toContain(agent.user.id);

      const sorted = await http().get('/api/v1/users?sort=name').set(bearer(agent)).expect(200);
      const names = sorted.body.data.map((user: { name: string }) => user.name.toLowerCase());
      expect(names).toEqual([...names].sort());
    });

    it('treats % and _ in q as themselves', async () => {
      const everything = await http().get('/api/v1/users?q=%25').set(bearer(agent)).expect(200);
      expect(everything.body.data).toEqual([]);
      const underscore = await http().get('/api/v1/users?q=_').set(bearer(agent)).expect(200);
      expect(underscore.body.data).toEqual([]);
      const percentUser = await invite(admin, {
        email: `pct-${randomUUID()}@x.test`,
        name: '100% sure_thing',
        role: 'requester',
      }).expect(201);
      const found = await http().get('/api/v1/users?q=0%25%20sure_').set(bearer(agent)).expect(200);
      expect(found.body.data.map((user: { id: string }) => user.id)).toEqual([percentUser.body.id]);
    });

    it.each([
      ['role=boss', 'role'],
      ['departmentId=not-a-uuid', 'departmentId'],
      ['sort=password', 'sort'],
      ['page=0', 'page'],
      ['limit=abc', 'limit'],
      ['unknown=1', 'unknown'],
    ])('refuses ?%s with 400 naming %s', async (query, field) => {
      const response = await http().get(`/api/v1/users?${query}`).set(bearer(agent)).expect(400);
      expect(fieldsOf(response.body)).toContain(field);
    });
  });

  describe('GET /users/:id', () => {
    it('shows anyone of the organization to an agent, oneself to a requester', async () => {
      const seen = await http()
        .get(`/api/v1/users/${admin.user.id}`)
        .set(bearer(agent))
        .expect(200);
      expect(seen.body).toMatchObject({ id: admin.user.id, role: 'admin', email: admin.email });
      const self = await http()
        .get(`/api/v1/users/${requester.user.id}`)
        .set(bearer(requester))
        .expect(200);
      expect(self.body).toMatchObject({ id: requester.user.id, role: 'requester' });
    });

    it('is 404 for another user to a requester, another organization’s user, an unknown or malformed id', async () => {
      for (const [who, id] of [
        [requester, agent.user.id],
        [admin, otherAdmin.user.id],
        [otherAdmin, admin.user.id],
        [admin, randomUUID()],
        [admin, 'not-a-uuid'],
        [admin, `'; DROP TABLE "user";--`],
      ] as const) {
        const response = await http()
          .get(`/api/v1/users/${encodeURIComponent(id)}`)
          .set(bearer(who))
          .expect(404);
        expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      }
    });
  });

  describe('POST /users (invite)', () => {
    it('creates a user without a password and raises user.created and user.invited once each', async () => {
      const email = `Grace.${randomUUID().slice(0, 6)}@Example.TEST`;
      const response = await invite(admin, {
        email,
        name: 'Grace Hopper',
        role: 'agent',
        departmentId,
      }).expect(201);

      expect(response.body).toEqual({
        id: expect.any(String),
        organizationId: admin.organization.id,
        email: email.toLowerCase(),
        name: 'Grace Hopper',
        role: 'agent',
        departmentId,
        passwordSet: false,
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
      });
      const userId = response.body.id;
      const created = await eventsAbout('user.created', userId);
      expect(created).toHaveLength(1);
      expect(created[0]).toMatchObject({
        tenantId: admin.organization.id,
        aggregateType: 'user',
        aggregateVersion: 1,
        metadata: { actorId: admin.user.id, actorType: 'user' },
      });
      expect(created[0].payload).toEqual({
        userId,
        email: email.toLowerCase(),
        name: 'Grace Hopper',
        role: 'agent',
        departmentId,
        active: true,
        source: 'invitation',
      });
      const invited = await eventsAbout('user.invited', userId);
      expect(invited).toHaveLength(1);
      expect(invited[0].payload).toEqual({
        userId,
        email: email.toLowerCase(),
        name: 'Grace Hopper',
        invitationId: expect.any(String),
        token: expect.stringMatching(/^[A-Za-z0-9_-]{40,}$/),
        expiresAt: expect.any(String),
      });
      const ttl = Date.parse(invited[0].payload.expiresAt) - Date.now();
      expect(ttl).toBeGreaterThan(6 * 24 * 3600_000);
      expect(ttl).toBeLessThanOrEqual(7 * 24 * 3600_000);
      const [row] = await service.dataSource.query(
        'SELECT password_hash FROM "user" WHERE id = $1',
        [userId],
      );
      expect(row.password_hash).toBeNull();
    });

    it('is 409 for an e-mail already used in the organization (ignoring case), but fine in another', async () => {
      const email = `dup-${randomUUID().slice(0, 6)}@x.test`;
      await invite(admin, { email, name: 'First', role: 'requester' }).expect(201);
      const duplicate = await invite(admin, {
        email: email.toUpperCase(),
        name: 'Second',
        role: 'agent',
      }).expect(409);
      expect(duplicate.body.status).toBe(409);
      const existing = await invite(admin, {
        email: agent.email,
        name: 'Again',
        role: 'agent',
      }).expect(409);
      expect(existing.headers['content-type']).toMatch(/^application\/problem\+json/);
      await invite(otherAdmin, { email, name: 'Elsewhere', role: 'agent' }).expect(201);
      expect(
        await service
          .outbox('user.created')
          .then((rows) => rows.filter((row) => row.envelope.payload.email === email)),
      ).toHaveLength(2);
    });

    it('refuses a department of another organization or none at all (400 naming departmentId)', async () => {
      for (const id of [otherDepartmentId, randomUUID()]) {
        const response = await invite(admin, {
          email: `d-${randomUUID()}@x.test`,
          name: 'D',
          role: 'agent',
          departmentId: id,
        }).expect(400);
        expect(response.body.errors).toEqual([
          { field: 'departmentId', message: expect.any(String) },
        ]);
      }
    });

    it('names each invalid field and refuses unknown ones', async () => {
      const response = await invite(admin, {
        email: 'not-an-email',
        name: '',
        role: 'boss',
        departmentId: 'x',
        passwordHash: 'h',
      }).expect(400);
      expect(fieldsOf(response.body)).toEqual(
        expect.arrayContaining(['departmentId', 'email', 'name', 'passwordHash', 'role']),
      );
      const missing = await invite(admin, {}).expect(400);
      expect(fieldsOf(missing.body)).toEqual(expect.arrayContaining(['email', 'name', 'role']));
      const blank = await invite(admin, { email: 'b@x.test', name: '   ', role: 'agent' }).expect(
        400,
      );
      expect(fieldsOf(blank.body)).toEqual(['name']);
    });

    it('stores SQL and HTML in names verbatim', async () => {
      const sql = await invite(admin, {
        email: `sql-${randomUUID().slice(0, 6)}@x.test`,
        name: SQL_NAME,
        role: 'requester',
      }).expect(201);
      expect(sql.body.name).toBe(SQL_NAME);
      const html = await invite(admin, {
        email: `html-${randomUUID().slice(0, 6)}@x.test`,
        name: HTML_NAME,
        role: 'requester',
      }).expect(201);
      expect(
        (await http().get(`/api/v1/users/${sql.body.id}`).set(bearer(agent)).expect(200)).body.name,
      ).toBe(SQL_NAME);
      expect(
        (await http().get(`/api/v1/users/${html.body.id}`).set(bearer(agent)).expect(200)).body
          .name,
      ).toBe(HTML_NAME);
      const found = await http()
        .get(`/api/v1/users?q=${encodeURIComponent(`'); DROP`)}`)
        .set(bearer(agent))
        .expect(200);
      expect(found.body.data.map((user: { id: string }) => user.id)).toEqual([sql.body.id]);
      const [{ count }] = await service.dataSource.query(
        'SELECT count(*)::int AS count FROM "user"',
      );
      expect(count).toBeGreaterThan(3);
    });
  });

  describe('PATCH /users/:id', () => {
    it('lets an admin change name and department, raising user.updated with only the changes, once', async () => {
      const target = (
        await invite(admin, {
          email: `p-${randomUUID().slice(0, 6)}@x.test`,
          name: 'Before',
          role: 'agent',
        }).expect(201)
      ).body;
      const response = await http()
        .patch(`/api/v1/users/${target.id}`)
        .set(bearer(admin))
        .send({ name: HTML_NAME, departmentId })
        .expect(200);
      expect(response.body).toMatchObject({
        id: target.id,
        name: HTML_NAME,
        departmentId,
        role: 'agent',
        email: target.email,
      });

      await http()
        .patch(`/api/v1/users/${target.id}`)
        .set(bearer(admin))
        .send({ name: HTML_NAME, departmentId })
        .expect(200);
      await http().patch(`/api/v1/users/${target.id}`).set(bearer(admin)).send({}).expect(200);
      const cleared = await http()
        .patch(`/api/v1/users/${target.id}`)
        .set(bearer(admin))
        .send({ departmentId: null })
        .expect(200);
      expect(cleared.body.departmentId).toBeNull();

      const updates = await eventsAbout('user.updated', target.id);
      expect(updates.map((event) => event.payload)).toEqual([
        {
          userId: target.id,
          changes: {
            name: { from: 'Before', to: HTML_NAME },
            departmentId: { from: null, to: departmentId },
          },
        },
        { userId: target.id, changes: { departmentId: { from: departmentId, to: null } } },
      ]);
      expect(updates.map((event) => event.aggregateVersion)).toEqual([2, 3]);
    });

    it('lets anyone change their own name, and nothing else', async () => {
      const response = await http()
        .patch(`/api/v1/users/${requester.user.id}`)
        .set(bearer(requester))
        .send({ name: SQL_NAME })
        .expect(200);
      expect(response.body).toMatchObject({
        id: requester.user.id,
        name: SQL_NAME,
        role: 'requester',
      });
      await http()
        .patch(`/api/v1/users/${requester.user.id}`)
        .set(bearer(requester))
        .send({ departmentId })
        .expect(403);
      await http()
        .patch(`/api/v1/users/${agent.user.id}`)
        .set(bearer(agent))
        .send({ departmentId: null })
        .expect(403);
      await http()
        .patch(`/api/v1/users/${requester.user.id}`)
        .set(bearer(requester))
        .send({ role: 'admin' })
        .expect(400);
    });

    it('is 403 for an agent editing someone else, 404 for a requester doing so or for another organization', async () => {
      await http()
        .patch(`/api/v1/users/${admin.user.id}`)
        .set(bearer(agent))
        .send({ name: 'Hacked' })
        .expect(403);
      await http()
        .patch(`/api/v1/users/${randomUUID()}`)
        .set(bearer(agent))
        .send({ name: 'Nobody' })
        .expect(404);
      await http()
        .patch(`/api/v1/users/${agent.user.id}`)
        .set(bearer(requester))
        .send({ name: 'Hacked' })
        .expect(404);
      await http()
        .patch(`/api/v1/users/${otherAdmin.user.id}`)
        .set(bearer(admin))
        .send({ name: 'Hacked' })
        .expect(404);
      await http()
        .patch('/api/v1/users/not-a-uuid')
        .set(bearer(admin))
        .send({ name: 'Hacked' })
        .expect(404);
      const untouched = await http()
        .get(`/api/v1/users/${admin.user.id}`)
        .set(bearer(admin))
        .expect(200);
      expect(untouched.body.name).toBe('Ada Admin');
    });

    it('names invalid fields, and a department of another organization', async () => {
      const invalid = await http()
        .patch(`/api/v1/users/${agent.user.id}`)
        .set(bearer(admin))
        .send({ name: null, departmentId: 42, email: 'new@x.test' })
        .expect(400);
      expect(fieldsOf(invalid.body)).toEqual(['departmentId', 'email', 'name']);
      const foreign = await http()
        .patch(`/api/v1/users/${agent.user.id}`)
        .set(bearer(admin))
        .send({ departmentId: otherDepartmentId })
        .expect(400);
      expect(foreign.body.errors).toEqual([{ field: 'departmentId', message: expect.any(String) }]);
    });
  });

  describe('roles and deletion', () => {
    it('changes a role, raising user.role_changed once; a no-op changes nothing', async () => {
      const target = (
        await invite(admin, {
          email: `r-${randomUUID().slice(0, 6)}@x.test`,
          name: 'Role',
          role: 'agent',
        }).expect(201)
      ).body;
      const response = await http()
        .patch(`/api/v1/users/${target.id}/role`)
        .set(bearer(admin))
        .send({ role: 'manager' })
        .expect(200);
      expect(response.body).toMatchObject({ id: target.id, role: 'manager' });
      await http()
        .patch(`/api/v1/users/${target.id}/role`)
        .set(bearer(admin))
        .send({ role: 'manager' })
        .expect(200);
      const viaAdmin = await http()
        .patch(`/api/v1/admin/users/${target.id}/role`)
        .set(bearer(admin))
        .send({ role: 'requester' })
        .expect(200);
      expect(viaAdmin.body.role).toBe('requester');

      const events = await eventsAbout('user.role_changed', target.id);
      expect(events.map((event) => event.payload)).toEqual([
        { userId: target.id, previousRole: 'agent', role: 'manager' },
        { userId: target.id, previousRole: 'manager', role: 'requester' },
      ]);
      expect(
        (await http().get(`/api/v1/users/${target.id}`).set(bearer(agent)).expect(200)).body.role,
      ).toBe('requester');
    });

    it('validates the role and finds only users of the organization', async () => {
      const invalid = await http()
        .patch(`/api/v1/users/${agent.user.id}/role`)
        .set(bearer(admin))
        .send({ role: 'root', extra: true })
        .expect(400);
      expect(fieldsOf(invalid.body)).toEqual(['extra', 'role']);
      await http()
        .patch(`/api/v1/users/${otherAdmin.user.id}/role`)
        .set(bearer(admin))
        .send({ role: 'requester' })
        .expect(404);
      await http()
        .patch(`/api/v1/admin/users/${otherAdmin.user.id}/role`)
        .set(bearer(admin))
        .send({ role: 'requester' })
        .expect(404);
      await http().delete(`/api/v1/users/${otherAdmin.user.id}`).set(bearer(admin)).expect(404);
      await http()
        .delete(`/api/v1/admin/users/${otherAdmin.user.id}`)
        .set(bearer(admin))
        .expect(404);
      expect(
        (
          await http()
            .get(`/api/v1/users/${otherAdmin.user.id}`)
            .set(bearer(otherAdmin))
            .expect(200)
        ).body.role,
      ).toBe('admin');
    });

    it('ends the sessions of a demoted user', async () => {
      const manager = await service.addMember(admin, 'manager');
      await http()
        .patch(`/api/v1/users/${manager.user.id}/role`)
        .set(bearer(admin))
        .send({ role: 'agent' })
        .expect(200);
      await http()
        .post('/api/v1/auth/refresh')
        .send({ refreshToken: manager.refreshToken })
        .expect(401);
    });

    it('keeps the last admin: neither demoted nor deleted (409)', async () => {
      const owner = await service.signUp();
      const demote = await http()
        .patch(`/api/v1/users/${owner.user.id}/role`)
        .set(bearer(owner))
        .send({ role: 'agent' })
        .expect(409);
      expect(demote.body).toMatchObject({ status: 409, detail: expect.stringMatching(/admin/) });
      await http().delete(`/api/v1/users/${owner.user.id}`).set(bearer(owner)).expect(409);
      await http().delete(`/api/v1/admin/users/${owner.user.id}`).set(bearer(owner)).expect(409);

      const second = (
        await invite(owner, {
          email: `second@${owner.slug}.test`,
          name: 'Second',
          role: 'admin',
        }).expect(201)
      ).body;
      await http()
        .patch(`/api/v1/users/${second.id}/role`)
        .set(bearer(owner))
        .send({ role: 'agent' })
        .expect(200);
      await http()
        .patch(`/api/v1/users/${owner.user.id}/role`)
        .set(bearer(owner))
        .send({ role: 'manager' })
        .expect(409);
      await http()
        .patch(`/api/v1/users/${second.id}/role`)
        .set(bearer(owner))
        .send({ role: 'admin' })
        .expect(200);
      await http().delete(`/api/v1/users/${second.id}`).set(bearer(owner)).expect(204);
      await http().delete(`/api/v1/users/${owner.user.id}`).set(bearer(owner)).expect(409);
      expect(
        (await http().get(`/api/v1/users/${owner.user.id}`).set(bearer(owner)).expect(200)).body
          .role,
      ).toBe('admin');
      expect(await eventsAbout('user.role_changed', owner.user.id)).toEqual([]);
    });

    it('lets only one of two admins demoting each other at once succeed', async () => {
      const first = await service.signUp();
      const second = await service.addMember(first, 'admin');
      const statuses = await Promise.all([
        http()
          .patch(`/api/v1/users/${second.user.id}/role`)
          .set(bearer(first))
          .send({ role: 'agent' }),
        http()
          .patch(`/api/v1/users/${first.user.id}/role`)
          .set(bearer(second))
          .send({ role: 'agent' }),
      ]).then((responses) => responses.map((response) => response.status).sort());
      // The loser is refused by the rule (409), or — if the winner's demotion
      // already revoked its session — by the token check (401).
      expect(statuses[0]).toBe(200);
      expect([401, 409]).toContain(statuses[1]);
      const [{ admins }] = await service.dataSource.query(
        `SELECT count(*)::int AS admins FROM "user" WHERE tenant_id = $1 AND role = 'admin'`,
        [first.organization.id],
      );
      expect(admins).toBe(1);
    });

    it('deletes a user: sessions revoked, row gone, user.deleted once', async () => {
      const leaving = await service.addMember(admin, 'agent');
      await http().get('/api/v1/auth/me').set(bearer(leaving)).expect(200);
      await http().delete(`/api/v1/users/${leaving.user.id}`).set(bearer(admin)).expect(204);

      await http().get(`/api/v1/users/${leaving.user.id}`).set(bearer(admin)).expect(404);
      await http().delete(`/api/v1/users/${leaving.user.id}`).set(bearer(admin)).expect(404);
      await http()
        .post('/api/v1/auth/refresh')
        .send({ refreshToken: leaving.refreshToken })
        .expect(401);
      await eventually(async () => {
        await http().get('/api/v1/auth/me').set(bearer(leaving)).expect(401);
      });

      const deleted = await eventsAbout('user.deleted', leaving.user.id);
      expect(deleted).toHaveLength(1);
      expect(deleted[0]).toMatchObject({
        payload: { userId: leaving.user.id },
        metadata: { actorId: admin.user.id },
      });
      const revoked = (await service.outbox('session.revoked')).filter(
        (row) => row.envelope.payload.userId === leaving.user.id,
      );
      expect(revoked.map((row) => row.envelope.payload.reason)).toEqual(['user_deleted']);
      const [{ count }] = await service.dataSource.query(
        'SELECT count(*)::int AS count FROM "user" WHERE id = $1',
        [leaving.user.id],
      );
      expect(count).toBe(0);
    });

    it('deletes through /admin/users/:id too; malformed ids are 404', async () => {
      const target = (
        await invite(admin, {
          email: `del-${randomUUID().slice(0, 6)}@x.test`,
          name: 'Del',
          role: 'requester',
        }).expect(201)
      ).body;
      await http().delete(`/api/v1/admin/users/${target.id}`).set(bearer(admin)).expect(204);
      await http().delete(`/api/v1/admin/users/${target.id}`).set(bearer(admin)).expect(404);
      await http().delete('/api/v1/admin/users/123').set(bearer(admin)).expect(404);
      expect(await eventsAbout('user.deleted', target.id)).toHaveLength(1);
    });
  });

  describe('GET /admin/users, /admin/agents', () => {
    it('lists everyone, or only agents, managers and admins, with the same filters', async () => {
      const all = await http().get('/api/v1/admin/users?limit=100').set(bearer(admin)).expect(200);
      const users = await http().get('/api/v1/users?limit=100').set(bearer(admin)).expect(200);
      expect(all.body).toEqual(users.body);
      expect(all.body.data.map((user: { role: string }) => user.role)).toContain('requester');

      const agents = await http()
        .get('/api/v1/admin/agents?limit=100')
        .set(bearer(admin))
        .expect(200);
      const roles = new Set(agents.body.data.map((user: { role: string }) => user.role));
      expect(roles.has('requester')).toBe(false);
      expect(agents.body.data.map((user: { id: string }) => user.id)).toEqual(
        expect.arrayContaining([admin.user.id, agent.user.id]),
      );
      expect(agents.body.pagination.total).toBe(agents.body.data.length);

      const onlyRequesters = await http()
        .get('/api/v1/admin/agents?role=requester')
        .set(bearer(admin))
        .expect(200);
      expect(onlyRequesters.body.data).toEqual([]);
      const admins = await http()
        .get('/api/v1/admin/agents?role=admin')
        .set(bearer(admin))
        .expect(200);
      expect(admins.body.data.map((user: { id: string }) => user.id)).toEqual([admin.user.id]);
    });
  });
});
