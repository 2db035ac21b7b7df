import {
  PASSWORD,
  startUserService,
  type SignedUp,
  type UserServiceFixture,
} from '../test/user-service-fixture';

const bearer = (who: { accessToken: string }) => ({ Authorization: `Bearer ${who.accessToken}` });
const fieldsOf = (body: { errors?: { field: string }[] }) =>
  [...new Set((body.errors ?? []).map((error) => error.field))].sort();

describe('user-service directory: /organization', () => {
  let service: UserServiceFixture;
  let admin: SignedUp;
  let requester: SignedUp;
  let otherAdmin: SignedUp;
  const http = () => service.http;
  const patch = (by: SignedUp, body: Record<string, unknown>) =>
    http().patch('/api/v1/organization').set(bearer(by)).send(body);
  const updates = async (organizationId: string) =>
    (await service.outbox('organization.updated'))
      .filter((row) => row.envelope.aggregateId === organizationId)
      .map((row) => row.envelope);

  beforeAll(async () => {
    service = await startUserService();
    [admin, otherAdmin] = await Promise.all([service.signUp(), service.signUp()]);
    requester = await service.addMember(admin, 'requester');
  });
  afterAll(() => service?.close());

  it('is 401 without a token', async () => {
    await http().get('/api/v1/organization').expect(401);
    await http().patch('/api/v1/organization').send({ name: 'X' }).expect(401);
  });

  it('shows any member their own organization', async () => {
    const response = await http().get('/api/v1/organization').set(bearer(requester)).expect(200);
    expect(response.body).toEqual({
      id: admin.organization.id,
      name: `Org ${admin.slug}`,
      slug: admin.slug,
      allowSelfRegistration: false,
      businessHours: null,
      timezone: 'UTC',
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    const other = await http().get('/api/v1/organization').set(bearer(otherAdmin)).expect(200);
    expect(other.body.id).toBe(otherAdmin.organization.id);
  });

  it('refuses changes to non-admins (403)', async () => {
    await patch(requester, { name: 'Mine now' }).expect(403);
    const agent = await service.addMember(admin, 'agent');
    await patch(agent, { allowSelfRegistration: true }).expect(403);
    expect(
      (await http().get('/api/v1/organization').set(bearer(admin)).expect(200)).body.name,
    ).toBe(`Org ${admin.slug}`);
  });

  it('changes the settings, raising organization.updated with the changes once per change', async () => {
    const before = await updates(admin.organization.id);
    const settings = {
      name: `<script>alert(1)</script> Robert'); DROP TABLE "user";--`,
      allowSelfRegistration: true,
      businessHours: { weekdays: [5, 1, 2, 3, 4], start: '09:00', end: '17:30' },
      timezone: 'Europe/Berlin',
    };
    const response = await patch(admin, settings).expect(200);
    expect(response.body).toMatchObject({
      id: admin.organization.id,
      slug: admin.slug,
      name: settings.name,
      allowSelfRegistration: true,
      businessHours: { weekdays: [1, 2, 3, 4, 5], start: '09:00', end: '17:30' },
      timezone: 'Europe/Berlin',
    });
    expect(
      (await http().get('/api/v1/organization').set(bearer(requester)).expect(200)).body,
    ).toEqual(response.body);

    await patch(admin, settings).expect(200);
    await patch(admin, {}).expect(200);
    const cleared = await patch(admin, { businessHours: null, timezone: 'Europe/Berlin' }).expect(
      200,
    );
    expect(cleared.body.businessHours).toBeNull();

    const events = (await updates(admin.organization.id)).slice(before.length);
    expect(events.map((event) => event.payload)).toEqual([
      {
        organizationId: admin.organization.id,
        changes: {
          name: { from: `Org ${admin.slug}`, to: settings.name },
          allowSelfRegistration: { from: false, to: true },
          businessHours: {
            from: null,
            to: { weekdays: [1, 2, 3, 4, 5], start: '09:00', end: '17:30' },
          },
          timezone: { from: 'UTC', to: 'Europe/Berlin' },
        },
      },
      {
        organizationId: admin.organization.id,
        changes: {
          businessHours: {
            from: { weekdays: [1, 2, 3, 4, 5], start: '09:00', end: '17:30' },
            to: null,
          },
        },
      },
    ]);
    expect(events[0]).toMatchObject({
      tenantId: admin.organization.id,
      metadata: { actorId: admin.user.id },
    });
    const other = await http().get('/api/v1/organization').set(bearer(otherAdmin)).expect(200);
    expect(other.body).toMatchObject({
      name: `Org ${otherAdmin.slug}`,
      allowSelfRegistration: false,
      timezone: 'UTC',
    });
  });

  it('changes the slug (members then sign in with the new one); a taken slug is 409', async () => {
    const taken = await patch(admin, { slug: otherAdmin.slug }).expect(409);
    expect(taken.body.errors).toEqual([{ field: 'slug', message: 'is taken' }]);
    const slug = `${admin.slug}-renamed`;
    const renamed = await patch(admin, { slug }).expect(200);
    expect(renamed.body.slug).toBe(slug);
    await http()
      .post('/api/v1/auth/login')
      .send({ organizationSlug: slug, email: requester.email, password: PASSWORD })
      .expect(200);
  });

  it.each([
    [{ timezone: 'Mars/Olympus_Mons' }, ['timezone']],
    [{ timezone: '+05:00' }, ['timezone']],
    [{ timezone: null }, ['timezone']],
    [{ name: '' }, ['name']],
    [{ name: null }, ['name']],
    [{ slug: 'Not A Slug' }, ['slug']],
    [{ allowSelfRegistration: 'yes' }, ['allowSelfRegistration']],
    [{ businessHours: 'always' }, ['businessHours']],
    [
      { businessHours: { weekdays: [0, 8, 1.5], start: '9am', end: '24:00' } },
      [
        'businessHours.end',
        'businessHours.start',
        'businessHours.weekdays[0]',
        'businessHours.weekdays[1]',
        'businessHours.weekdays[2]',
      ],
    ],
    [
      { businessHours: { weekdays: [1, 1], start: '09:00', end: '17:00' } },
      ['businessHours.weekdays'],
    ],
    [{ businessHours: { weekdays: [], start: '09:00', end: '17:00' } }, ['businessHours.weekdays']],
    [{ businessHours: { weekdays: [1], start: '17:00', end: '09:00' } }, ['businessHours.end']],
    [{ businessHours: { weekdays: [1], start: '09:00', end: '09:00' } }, ['businessHours.end']],
    [{ businessHours: { weekdays: [1], start: '09:00' } }, ['businessHours.end']],
    [
      { businessHours: { weekdays: [1], start: '09:00', end: '17:00', lunch: '12:00' } },
      ['businessHours.lunch'],
    ],
    [{ id: 'x', version: 9 }, ['id', 'version']],
  ])('refuses %j with 400 naming %j', async (body, fields) => {
    const response = await patch(admin, body).expect(400);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(fieldsOf(response.body)).toEqual(fields);
  });

  it('stores a zone in its usual spelling', async () => {
    expect((await patch(admin, { timezone: 'europe/BERLIN' }).expect(200)).body.timezone).toBe(
      'Europe/Berlin',
    );
  });

  it('accepts real IANA zones (and UTC)', async () => {
    for (const timezone of ['America/Argentina/Buenos_Aires', 'Etc/GMT+5', 'UTC', 'Asia/Kolkata'])
      expect((await patch(admin, { timezone }).expect(200)).body.timezone).toBe(timezone);
  });

  it('documents the directory in the OpenAPI document', async () => {
    const response = await http().get('/openapi.json').expect(200);
    expect(Object.keys(response.body.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/users',
        '/api/v1/users/{id}',
        '/api/v1/users/{id}/role',
        '/api/v1/admin/users',
        '/api/v1/admin/agents',
        '/api/v1/admin/users/{id}/role',
        '/api/v1/admin/users/{id}',
        '/api/v1/organization',
        '/api/v1/departments',
        '/api/v1/departments/{id}',
      ]),
    );
    const schemas = response.body.components.schemas;
    expect(Object.keys(schemas.UpdateOrganizationBody.properties).sort()).toEqual([
      'allowSelfRegistration',
      'businessHours',
      'name',
      'slug',
      'timezone',
    ]);
    expect(schemas.InviteUserBody.required.sort()).toEqual(['email', 'name', 'role']);
  });
});
