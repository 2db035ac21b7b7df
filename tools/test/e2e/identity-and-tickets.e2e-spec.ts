import { PASSWORD, startPlatform, type Platform } from './platform';
import { eventually } from '@helpdesk/testing';

/**
 * user-service and ticket-service as production bundles, run as processes on
 * their own databases and a RabbitMQ vhost of their own, behind the real
 * NGINX gateway: one story across HTTP and the bus.
 */
describe('end to end: identity and tickets through the gateway and the bus', () => {
  let platform: Platform;
  const gateway = () => platform.gateway;

  beforeAll(async () => {
    platform = await startPlatform(['user-service', 'ticket-service']);
  }, 180_000);

  afterAll(() => platform?.close());

  /** What user-service mailed: the invitation token from its outbox. */
  async function invitationToken(userId: string): Promise<string> {
    const [row] = await platform
      .app('user-service')
      .query<{ token: string }>(
        `SELECT envelope->'payload'->>'token' AS token FROM outbox WHERE event_type = 'user.invited' AND envelope->'payload'->>'userId' = $1`,
        [userId],
      );
    if (!row) throw new Error(`no user.invited event for ${userId}`);
    return row.token;
  }

  it('signs up, invites an agent, works a ticket, and revokes across services', async () => {
    const slug = `e2e-${Date.now()}`;
    const admin = (
      await gateway()
        .post('/api/v1/auth/signup')
        .send({
          organizationName: 'E2E Inc',
          organizationSlug: slug,
          name: 'Ada',
          email: 'ada@e2e.test',
          password: PASSWORD,
        })
        .expect(201)
    ).body;
    const asAdmin = { Authorization: `Bearer ${admin.accessToken}` };

    // ticket-service verifies user-service's token by itself (JWKS), no call per request.
    const ticket = (
      await gateway()
        .post('/api/v1/tickets')
        .set(asAdmin)
        .set('X-Request-ID', 'e2e-create-1')
        .send({ title: 'VPN down', description: 'Since 9:00' })
        .expect(201)
    ).body;
    expect(ticket).toMatchObject({
      number: 1,
      organizationId: admin.organization.id,
      requesterId: admin.user.id,
    });

    const invited = (
      await gateway()
        .post('/api/v1/users')
        .set(asAdmin)
        .send({ email: 'alan@e2e.test', name: 'Alan', role: 'agent' })
        .expect(201)
    ).body;
    await gateway()
      .post('/api/v1/auth/reset-password')
      .send({ token: await invitationToken(invited.id), newPassword: PASSWORD })
      .expect(204);
    const agent = (
      await gateway()
        .post('/api/v1/auth/login')
        .send({ organizationSlug: slug, email: 'alan@e2e.test', password: PASSWORD })
        .expect(200)
    ).body;
    const asAgent = { Authorization: `Bearer ${agent.accessToken}` };

    // The agent reaches ticket-service's directory replica through RabbitMQ; then assignment works.
    await eventually(
      () =>
        gateway()
          .patch(`/api/v1/tickets/${ticket.id}/assign`)
          .set(asAdmin)
          .send({ assigneeId: invited.id })
          .expect(200),
      { timeoutMs: 20_000, intervalMs: 200 },
    );
    const inbox = await gateway().get('/api/v1/tickets/inbox').set(asAgent).expect(200);
    expect(inbox.body.data.map((t: { id: string }) => t.id)).toEqual([ticket.id]);
    await gateway()
      .post(`/api/v1/tickets/${ticket.id}/comments`)
      .set(asAgent)
      .send({ body: 'Restarting the VPN gateway' })
      .expect(201);
    const found = await gateway().get('/api/v1/search/tickets?q=vpn').set(asAdmin).expect(200);
    expect(found.body.data[0]).toMatchObject({
      id: ticket.id,
      highlight: expect.stringContaining('<mark>'),
    });

    // Deleting the agent in user-service: their tickets are unassigned and their token dies everywhere.
    await gateway().delete(`/api/v1/users/${invited.id}`).set(asAdmin).expect(204);
    await eventually(
      async () => {
        const current = await gateway()
          .get(`/api/v1/tickets/${ticket.id}`)
          .set(asAdmin)
          .expect(200);
        expect(current.body.assigneeId).toBeNull();
      },
      { timeoutMs: 20_000, intervalMs: 200 },
    );
    await eventually(() => gateway().get('/api/v1/tickets').set(asAgent).expect(401), {
      timeoutMs: 20_000,
      intervalMs: 200,
    });

    // Logging out: the admin's access token is refused by ticket-service within seconds.
    await gateway().post('/api/v1/auth/logout').set(asAdmin).expect(204);
    await eventually(() => gateway().get('/api/v1/tickets').set(asAdmin).expect(401), {
      timeoutMs: 20_000,
      intervalMs: 200,
    });
  }, 120_000);
});
