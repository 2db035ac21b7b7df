import { eventually } from '@helpdesk/testing';
import { PASSWORD, startUserService, type UserServiceFixture } from '../test/user-service-fixture';

/** What other services receive: each identity change published once, with the payload they need. */
describe('user-service events on user.events', () => {
  let service: UserServiceFixture;

  beforeAll(async () => {
    service = await startUserService();
  });
  afterAll(() => service?.close());

  it('publishes each change once, with its payload and the request id as correlation id', async () => {
    const admin = await service.signUp();
    const tenant = admin.organization.id;
    await service.http
      .post('/api/v1/auth/login')
      .send({ organizationSlug: admin.slug, email: admin.email, password: 'not the password' })
      .expect(401);
    const login = await service.http
      .post('/api/v1/auth/login')
      .set('X-Request-ID', 'req-login-1')
      .set('User-Agent', 'events-spec/1.0')
      .send({ organizationSlug: admin.slug, email: admin.email, password: PASSWORD })
      .expect(200);
    await service.http
      .post('/api/v1/auth/forgot-password')
      .send({ organizationSlug: admin.slug, email: admin.email })
      .expect(202);
    await service.http
      .post('/api/v1/auth/logout')
      .set('Authorization', `Bearer ${login.body.accessToken}`)
      .expect(204);

    await eventually(() => {
      expect(service.events.of('session.revoked', tenant)).toHaveLength(1);
      expect(service.events.of('user.password_reset_requested', tenant)).toHaveLength(1);
    });
    const [organization] = service.events.of('organization.created', tenant);
    expect(organization).toMatchObject({
      aggregateId: tenant,
      aggregateVersion: 1,
      payload: {
        organizationId: tenant,
        slug: admin.slug,
        allowSelfRegistration: false,
        timezone: 'UTC',
        businessHours: null,
      },
      metadata: { actorType: 'user', actorId: admin.user.id },
    });
    expect(service.events.of('user.created', tenant)).toEqual([
      expect.objectContaining({
        aggregateId: admin.user.id,
        payload: expect.objectContaining({
          userId: admin.user.id,
          email: admin.email,
          role: 'admin',
          source: 'signup',
          active: true,
        }),
      }),
    ]);
    expect(service.events.of('user.login_failed', tenant)).toEqual([
      expect.objectContaining({
        payload: expect.objectContaining({
          userId: admin.user.id,
          reason: 'wrong_password',
          email: admin.email,
        }),
      }),
    ]);
    expect(service.events.of('user.login_succeeded', tenant)).toEqual([
      expect.objectContaining({
        payload: expect.objectContaining({ userId: admin.user.id }),
        metadata: expect.objectContaining({ correlationId: 'req-login-1' }),
      }),
    ]);
    expect(service.events.of('session.revoked', tenant)[0]).toMatchObject({
      payload: { userId: admin.user.id, reason: 'logout' },
      metadata: { actorType: 'user', actorId: admin.user.id },
    });
    // No event ever carries a password or its hash.
    const everything = JSON.stringify(service.events.deliveries);
    expect(everything).not.toContain(PASSWORD);
    expect(everything).not.toContain('$argon2');
    // Exactly once: no event id twice.
    const ids = service.events.deliveries.map((event) => event.eventId);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
