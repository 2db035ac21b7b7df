import { eventually } from '@helpdesk/testing';
import {
  PASSWORD,
  startUserService,
  type SignedUp,
  type UserServiceFixture,
} from '../test/user-service-fixture';

const bearer = (who: { accessToken: string }) => ({ Authorization: `Bearer ${who.accessToken}` });

describe('user-service identity: /auth', () => {
  let service: UserServiceFixture;
  const http = () => service.http;

  beforeAll(async () => {
    service = await startUserService({
      LOGIN_MAX_FAILURES_PER_ACCOUNT: '3',
      AUTH_REVOCATION_POLL_MS: '200',
    });
  });
  afterAll(() => service?.close());

  describe('signup', () => {
    it('creates the organization, makes the signer its admin and signs them in', async () => {
      const response = await http()
        .post('/api/v1/auth/signup')
        .send({
          organizationName: 'Acme',
          organizationSlug: 'acme-signup',
          name: 'Ada',
          email: 'Ada@Acme.test',
          password: PASSWORD,
        })
        .expect(201);

      expect(response.body).toMatchObject({
        user: {
          email: 'ada@acme.test',
          name: 'Ada',
          role: 'admin',
          organizationId: response.body.organization.id,
        },
        organization: { name: 'Acme', slug: 'acme-signup', allowSelfRegistration: false },
        accessToken: expect.any(String),
        refreshToken: expect.any(String),
        expiresIn: 900,
      });
      expect(response.body.user).not.toHaveProperty('passwordHash');
      const me = await http().get('/api/v1/auth/me').set(bearer(response.body)).expect(200);
      expect(me.body).toEqual({
        id: response.body.user.id,
        organizationId: response.body.organization.id,
        email: 'ada@acme.test',
        name: 'Ada',
        role: 'admin',
        departmentId: null,
        createdAt: expect.any(String),
      });
    });

    it('answers 409 when the slug is taken', async () => {
      const first = await service.signUp();
      const response = await http()
        .post('/api/v1/auth/signup')
        .send({
          organizationName: 'Other',
          organizationSlug: first.slug,
          name: 'Bo',
          email: 'bo@other.test',
          password: PASSWORD,
        })
        .expect(409);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.body.status).toBe(409);
    });

    it('names every invalid field, and refuses unknown ones', async () => {
      const response = await http()
        .post('/api/v1/auth/signup')
        .send({
          organizationName: '',
          organizationSlug: 'Not A Slug',
          name: 'x',
          email: 'not-an-email',
          password: 'short',
          role: 'admin',
        })
        .expect(400);
      const fields = response.body.errors.map((error: { field: string }) => error.field).sort();
      expect(fields).toEqual(
        expect.arrayContaining(['email', 'organizationName', 'organizationSlug', 'role']),
      );
    });

    it.each([
      ['too short', 'short-pw'],
      ['a common password', 'password123'],
      ['the e-mail address', 'weak-person@x.test!'],
    ])('refuses a password that is %s (400 naming password)', async (_case, password) => {
      const response = await http()
        .post('/api/v1/auth/signup')
        .send({
          organizationName: 'W',
          organizationSlug: `weak-${password.length}-${Date.now()}`,
          name: 'W',
          email: 'weak-person@x.test',
          password,
        })
        .expect(400);
      expect(response.body.errors).toEqual([{ field: 'password', message: expect.any(String) }]);
    });
  });

  describe('register', () => {
    it('is 403 where self-registration is off, 201 as a requester where it is on, 409 twice', async () => {
      const admin = await service.signUp();
      const body = {
        organizationSlug: admin.slug,
        name: 'Rita',
        email: 'rita@customer.test',
        password: PASSWORD,
      };
      await http().post('/api/v1/auth/register').send(body).expect(403);

      await service.dataSource.query(
        'UPDATE organization SET allow_self_registration = true WHERE id = $1',
        [admin.organization.id],
      );
      const registered = await http().post('/api/v1/auth/register').send(body).expect(201);
      expect(registered.body.user).toMatchObject({
        role: 'requester',
        organizationId: admin.organization.id,
      });

      await http().post('/api/v1/auth/register').send(body).expect(409);
    });

    it('is 403 for an organization that does not exist', async () => {
      await http()
        .post('/api/v1/auth/register')
        .send({ organizationSlug: 'no-such-org', name: 'X', email: 'x@y.test', password: PASSWORD })
        .expect(403);
    });
  });

  describe('login', () => {
    let admin: SignedUp;
    beforeAll(async () => {
      admin = await service.signUp();
    });

    it('signs in with the right credentials, whatever the e-mail’s case', async () => {
      const response = await http()
        .post('/api/v1/auth/login')
        .send({
          organizationSlug: admin.slug,
          email: admin.email.toUpperCase(),
          password: PASSWORD,
        })
        .expect(200);
      expect(response.body).toMatchObject({
        user: { id: admin.user.id },
        accessToken: expect.any(String),
        refreshToken: expect.any(String),
        expiresIn: 900,
      });
    });

    it('gives one answer for a wrong password, an unknown e-mail and an unknown organization', async () => {
      const attempts = [
        { organizationSlug: admin.slug, email: admin.email, password: 'wrong password here' },
        { organizationSlug: admin.slug, email: 'nobody@nowhere.test', password: PASSWORD },
        { organizationSlug: 'no-such-organization', email: admin.email, password: PASSWORD },
      ];
      const answers = [];
      for (const attempt of attempts)
        answers.push(await http().post('/api/v1/auth/login').send(attempt).expect(401));
      const bodies = answers.map((answer) => ({ ...answer.body, instance: undefined }));
      expect(bodies[1]).toEqual(bodies[0]);
      expect(bodies[2]).toEqual(bodies[0]);
      const failures = (await service.outbox('user.login_failed')).filter(
        (row) => row.envelope.tenantId === admin.organization.id,
      );
      expect(failures.map((row) => row.envelope.payload.reason).sort()).toEqual([
        'unknown_user',
        'wrong_password',
      ]);
    });

    it('throttles an account after repeated failures (429 with Retry-After), even with the right password', async () => {
      const victim = await service.signUp();
      for (let attempt = 0; attempt < 3; attempt += 1)
        await http()
          .post('/api/v1/auth/login')
          .send({
            organizationSlug: victim.slug,
            email: victim.email,
            password: `guess number ${attempt}`,
          })
          .expect(401);

      const throttled = await http()
        .post('/api/v1/auth/login')
        .send({ organizationSlug: victim.slug, email: victim.email, password: PASSWORD })
        .expect(429);
      expect(Number(throttled.headers['retry-after'])).toBeGreaterThan(0);
      expect(throttled.headers['content-type']).toMatch(/^application\/problem\+json/);
      const reasons = (await service.outbox('user.login_failed'))
        .filter((row) => row.envelope.tenantId === victim.organization.id)
        .map((row) => row.envelope.payload.reason);
      expect(reasons).toEqual([
        'wrong_password',
        'wrong_password',
        'wrong_password',
        'rate_limited',
      ]);
      // Another account is not affected.
      await http()
        .post('/api/v1/auth/login')
        .send({ organizationSlug: admin.slug, email: admin.email, password: PASSWORD })
        .expect(200);
    });

    it('publishes user.login_succeeded with the session', async () => {
      const response = await http()
        .post('/api/v1/auth/login')
        .send({ organizationSlug: admin.slug, email: admin.email, password: PASSWORD })
        .expect(200);
      const sessions = await http()
        .get('/api/v1/auth/sessions')
        .set(bearer(response.body))
        .expect(200);
      const current = sessions.body.data.find((session: { current: boolean }) => session.current);
      const events = await service.outbox('user.login_succeeded');
      expect(events.filter((row) => row.envelope.payload.sessionId === current.id)).toHaveLength(1);
    });
  });

  describe('refresh, logout and revocation', () => {
    it('rotates the refresh token: the old one stops working', async () => {
      const admin = await service.signUp();
      const refreshed = await http()
        .post('/api/v1/auth/refresh')
        .send({ refreshToken: admin.refreshToken })
        .expect(200);
      expect(refreshed.body).toEqual({
        accessToken: expect.any(String),
        refreshToken: expect.any(String),
        expiresIn: 900,
      });
      expect(refreshed.body.refreshToken).not.toBe(admin.refreshToken);
      await http().get('/api/v1/auth/me').set(bearer(refreshed.body)).expect(200);
    });

    it('revokes the whole session when a rotated refresh token is used again (theft)', async () => {
      const admin = await service.signUp();
      const refreshed = await http()
        .post('/api/v1/auth/refresh')
        .send({ refreshToken: admin.refreshToken })
        .expect(200);

      await http()
        .post('/api/v1/auth/refresh')
        .send({ refreshToken: admin.refreshToken })
        .expect(401);

      // The legitimate holder's newer token is dead too, and so are the session's access tokens.
      await http()
        .post('/api/v1/auth/refresh')
        .send({ refreshToken: refreshed.body.refreshToken })
        .expect(401);
      await eventually(() => http().get('/api/v1/auth/me').set(bearer(refreshed.body)).expect(401));
      const revoked = await service.outbox('session.revoked');
      expect(revoked.filter((row) => row.envelope.payload.userId === admin.user.id)).toEqual([
        expect.objectContaining({
          envelope: expect.objectContaining({
            payload: expect.objectContaining({ reason: 'refresh_token_reuse' }),
          }),
        }),
      ]);
    });

    it('answers 401 for a refresh token that never existed', async () => {
      const response = await http()
        .post('/api/v1/auth/refresh')
        .send({ refreshToken: 'made-up-token' })
        .expect(401);
      expect(response.body.status).toBe(401);
    });

    it('logout ends the session: refresh refused at once, access tokens within seconds', async () => {
      const admin = await service.signUp();
      await http().post('/api/v1/auth/logout').set(bearer(admin)).expect(204);

      await http()
        .post('/api/v1/auth/refresh')
        .send({ refreshToken: admin.refreshToken })
        .expect(401);
      await eventually(() => http().get('/api/v1/auth/me').set(bearer(admin)).expect(401));
      const revoked = await service.outbox('session.revoked');
      expect(
        revoked
          .filter((row) => row.envelope.payload.userId === admin.user.id)
          .map((row) => row.envelope.payload.reason),
      ).toEqual(['logout']);
    });

    it('requires a token for logout, me and sessions', async () => {
      await http().post('/api/v1/auth/logout').expect(401);
      await http().get('/api/v1/auth/me').expect(401);
      const response = await http().get('/api/v1/auth/sessions').expect(401);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    });
  });

  describe('sessions', () => {
    it('lists one’s own live sessions, marks the current one, and revokes one', async () => {
      const admin = await service.signUp();
      const second = await http()
        .post('/api/v1/auth/login')
        .set('User-Agent', 'second-device')
        .send({ organizationSlug: admin.slug, email: admin.email, password: PASSWORD })
        .expect(200);

      const list = await http().get('/api/v1/auth/sessions').set(bearer(admin)).expect(200);
      expect(list.body.pagination).toMatchObject({
        page: 1,
        limit: 20,
        total: 2,
        totalPages: 1,
        hasNext: false,
        hasPrev: false,
      });
      expect(
        list.body.data.filter((session: { current: boolean }) => session.current),
      ).toHaveLength(1);
      const other = list.body.data.find((session: { current: boolean }) => !session.current);
      expect(other).toMatchObject({
        userAgent: 'second-device',
        createdAt: expect.any(String),
        lastUsedAt: expect.any(String),
      });

      await http().delete(`/api/v1/auth/sessions/${other.id}`).set(bearer(admin)).expect(204);
      await http()
        .post('/api/v1/auth/refresh')
        .send({ refreshToken: second.body.refreshToken })
        .expect(401);
      const after = await http().get('/api/v1/auth/sessions').set(bearer(admin)).expect(200);
      expect(after.body.pagination.total).toBe(1);
    });

    it('answers 404 for someone else’s session, admins included', async () => {
      const admin = await service.signUp();
      const stranger = await service.signUp();
      const strangers = await http().get('/api/v1/auth/sessions').set(bearer(stranger)).expect(200);
      await http()
        .delete(`/api/v1/auth/sessions/${strangers.body.data[0].id}`)
        .set(bearer(admin))
        .expect(404);
      await http().delete('/api/v1/auth/sessions/not-a-uuid').set(bearer(admin)).expect(404);
      await http()
        .post('/api/v1/auth/refresh')
        .send({ refreshToken: stranger.refreshToken })
        .expect(200);
    });
  });

  describe('forgot and reset password', () => {
    it('answers 202 the same way whether or not the account exists; mails only real accounts', async () => {
      const admin = await service.signUp();
      const known = await http()
        .post('/api/v1/auth/forgot-password')
        .send({ organizationSlug: admin.slug, email: admin.email })
        .expect(202);
      const unknown = await http()
        .post('/api/v1/auth/forgot-password')
        .send({ organizationSlug: admin.slug, email: 'ghost@nowhere.test' })
        .expect(202);
      const noOrg = await http()
        .post('/api/v1/auth/forgot-password')
        .send({ organizationSlug: 'no-such-org', email: admin.email })
        .expect(202);
      expect(unknown.text).toBe(known.text);
      expect(noOrg.text).toBe(known.text);
      const requests = (await service.outbox('user.password_reset_requested')).filter(
        (row) => row.envelope.tenantId === admin.organization.id,
      );
      expect(requests).toHaveLength(1);
      expect(requests[0]?.envelope.payload).toMatchObject({
        userId: admin.user.id,
        email: admin.email,
        token: expect.any(String),
        expiresAt: expect.any(String),
      });
    });

    it('sets the new password with a single-use token and ends every session', async () => {
      const admin = await service.signUp();
      await http()
        .post('/api/v1/auth/forgot-password')
        .send({ organizationSlug: admin.slug, email: admin.email })
        .expect(202);
      const [request] = (await service.outbox('user.password_reset_requested')).filter(
        (row) => row.envelope.payload.userId === admin.user.id,
      );
      const token = request?.envelope.payload.token as string;
      // The token is stored only as a hash.
      const stored = await service.dataSource.query(
        'SELECT token_hash FROM one_time_token WHERE user_id = $1',
        [admin.user.id],
      );
      expect(JSON.stringify(stored)).not.toContain(token);

      await http()
        .post('/api/v1/auth/reset-password')
        .send({ token, newPassword: 'a brand new passphrase' })
        .expect(204);
      const reused = await http()
        .post('/api/v1/auth/reset-password')
        .send({ token, newPassword: 'another new passphrase' })
        .expect(400);
      expect(reused.body.errors).toEqual([{ field: 'token', message: expect.any(String) }]);

      await http()
        .post('/api/v1/auth/refresh')
        .send({ refreshToken: admin.refreshToken })
        .expect(401);
      await http()
        .post('/api/v1/auth/login')
        .send({ organizationSlug: admin.slug, email: admin.email, password: PASSWORD })
        .expect(401);
      await http()
        .post('/api/v1/auth/login')
        .send({
          organizationSlug: admin.slug,
          email: admin.email,
          password: 'a brand new passphrase',
        })
        .expect(200);
    });

    it('refuses an expired token and a made-up one', async () => {
      const admin = await service.signUp();
      await http()
        .post('/api/v1/auth/forgot-password')
        .send({ organizationSlug: admin.slug, email: admin.email })
        .expect(202);
      const [request] = (await service.outbox('user.password_reset_requested')).filter(
        (row) => row.envelope.payload.userId === admin.user.id,
      );
      await service.dataSource.query(
        `UPDATE one_time_token SET expires_at = now() - interval '1 second' WHERE user_id = $1`,
        [admin.user.id],
      );

      await http()
        .post('/api/v1/auth/reset-password')
        .send({ token: request?.envelope.payload.token, newPassword: 'a brand new passphrase' })
        .expect(400);
      await http()
        .post('/api/v1/auth/reset-password')
        .send({ token: 'made-up', newPassword: 'a brand new passphrase' })
        .expect(400);
    });
  });

  describe('change password', () => {
    it('needs the current password, applies the policy, and ends the other sessions only', async () => {
      const admin = await service.signUp();
      const other = await http()
        .post('/api/v1/auth/login')
        .send({ organizationSlug: admin.slug, email: admin.email, password: PASSWORD })
        .expect(200);

      const wrong = await http()
        .post('/api/v1/auth/change-password')
        .set(bearer(admin))
        .send({ currentPassword: 'not it at all', newPassword: 'a brand new passphrase' })
        .expect(400);
      expect(wrong.body.errors).toEqual([
        { field: 'currentPassword', message: expect.any(String) },
      ]);
      const weak = await http()
        .post('/api/v1/auth/change-password')
        .set(bearer(admin))
        .send({ currentPassword: PASSWORD, newPassword: 'qwertyuiop' })
        .expect(400);
      expect(weak.body.errors).toEqual([{ field: 'newPassword', message: expect.any(String) }]);

      await http()
        .post('/api/v1/auth/change-password')
        .set(bearer(admin))
        .send({ currentPassword: PASSWORD, newPassword: 'a brand new passphrase' })
        .expect(204);
      await http()
        .post('/api/v1/auth/refresh')
        .send({ refreshToken: other.body.refreshToken })
        .expect(401);
      await http()
        .post('/api/v1/auth/refresh')
        .send({ refreshToken: admin.refreshToken })
        .expect(200);
      const revoked = (await service.outbox('session.revoked')).filter(
        (row) => row.envelope.payload.userId === admin.user.id,
      );
      expect(revoked.map((row) => row.envelope.payload.reason)).toEqual(['password_changed']);
    });
  });
});
