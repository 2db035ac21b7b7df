import { ServiceTokens } from '@helpdesk/auth';
import { startUserService, type UserServiceFixture } from '../test/user-service-fixture';

describe('GET /internal/directory/*: the snapshot a late replica fills itself from', () => {
  let service: UserServiceFixture;

  beforeAll(async () => {
    service = await startUserService();
  });
  afterAll(() => service?.close());

  it('pages through users, departments and organizations with their versions, for service tokens only', async () => {
    const admin = await service.signUp();
    await service.addMember(admin, 'agent');
    const token = service.app.get(ServiceTokens).issue('user-service');
    const asService = { Authorization: `Bearer ${token}` };

    const first = await service.http
      .get('/internal/directory/users?limit=1')
      .set(asService)
      .expect(200);
    expect(first.body.data).toHaveLength(1);
    expect(first.body.next).toBe(first.body.data[0].id);
    const second = await service.http
      .get(`/internal/directory/users?limit=1&after=${first.body.next}`)
      .set(asService)
      .expect(200);
    expect(second.body.data[0].id > first.body.data[0].id).toBe(true);
    const all = await service.http.get('/internal/directory/users').set(asService).expect(200);
    expect(all.body.next).toBeNull();
    expect(all.body.data.find((user: { id: string }) => user.id === admin.user.id)).toEqual({
      id: admin.user.id,
      tenantId: admin.organization.id,
      email: admin.email,
      name: 'Ada Admin',
      role: 'admin',
      departmentId: null,
      active: true,
      version: 1,
    });
    const organizations = await service.http
      .get('/internal/directory/organizations')
      .set(asService)
      .expect(200);
    expect(organizations.body.data).toContainEqual(
      expect.objectContaining({ id: admin.organization.id, timezone: 'UTC', version: 1 }),
    );
    await service.http.get('/internal/directory/departments').set(asService).expect(200);

    await service.http
      .get('/internal/directory/users')
      .set('Authorization', `Bearer ${admin.accessToken}`)
      .expect(401);
    await service.http.get('/internal/directory/users').expect(401);
    await service.http.get('/internal/directory/users?limit=999999').set(asService).expect(400);
  });
});
