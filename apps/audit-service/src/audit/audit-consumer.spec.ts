import { eventually } from '@helpdesk/testing';
import { envelope, RESET_TOKEN, INVITE_TOKEN, sampleEvents } from '../test/events';
import { startAuditService, type AuditServiceFixture } from '../test/audit-service-fixture';

/** Events published to the real domain exchanges, taken by the real consumer, read over HTTP. */
describe('audit-service: every event becomes one entry', () => {
  let service: AuditServiceFixture;

  beforeAll(async () => {
    service = await startAuditService();
  });
  afterAll(() => service?.close());

  const trail = (by: { auth: { Authorization: string } }, type: string, id: string, query = '') =>
    service.http.get(`/api/v1/audit/entity/${type}/${encodeURIComponent(id)}${query}`).set(by.auth);

  it('records events of every domain, once each even when delivered twice, with secrets redacted', async () => {
    const acme = service.organization();
    const events = sampleEvents(acme.id);
    const all = [
      events.created,
      events.updated,
      events.statusChanged,
      events.assigned,
      events.roleChanged,
      events.resetRequested,
      events.invited,
      events.loginFailed,
      events.loginSucceeded,
      events.emailSent,
      events.sessionRevoked,
    ];
    await service.publish(...all);
    // The same events again (a redelivery, a replay): no second entry.
    await service.publish(events.created, events.resetRequested, events.emailSent);

    const search = await eventually(async () => {
      const response = await service.http
        .get('/api/v1/audit/search?limit=100')
        .set(acme.manager.auth)
        .expect(200);
      expect(response.body.pagination.total).toBe(all.length);
      return response.body;
    });
    expect(new Set(search.data.map((entry: { eventId: string }) => entry.eventId))).toEqual(
      new Set(all.map((event) => event.eventId)),
    );
    // Wait for the duplicates to have been handled (as duplicates) before counting rows.
    await eventually(async () => {
      const [{ count }] = await service.dataSource.query(
        `SELECT count(*)::int AS count FROM inbox WHERE event_id = ANY($1::uuid[])`,
        [all.map((event) => event.eventId)],
      );
      expect(count).toBe(all.length);
    });
    const [{ rows }] = await service.dataSource.query(
      'SELECT count(*)::int AS rows FROM audit_entry WHERE tenant_id = $1',
      [acme.id],
    );
    expect(rows).toBe(all.length);

    // The clear tokens are nowhere in the database.
    const [{ leaks }] = await service.dataSource.query(
      `SELECT count(*)::int AS leaks FROM audit_entry
        WHERE payload::text LIKE '%' || $1 || '%' OR payload::text LIKE '%' || $2 || '%'`,
      [RESET_TOKEN, INVITE_TOKEN],
    );
    expect(leaks).toBe(0);
    const reset = search.data.find(
      (entry: { eventType: string }) => entry.eventType === 'user.password_reset_requested',
    );
    expect(reset.payload.token).toBe('[redacted]');
    expect(JSON.stringify(reset)).not.toContain(RESET_TOKEN);

    // The notification domain's event, by a service.
    const email = search.data.find(
      (entry: { eventType: string }) => entry.eventType === 'notification.email_sent',
    );
    expect(email).toMatchObject({
      organizationId: acme.id,
      entityType: 'email',
      action: 'email_sent',
      actorId: 'notification-service',
      actorType: 'service',
      correlationId: events.emailSent.metadata.correlationId,
      occurredAt: events.emailSent.timestamp,
      changes: null,
    });

    // session.revoked also reached SessionRevokedHandler: the session is on the deny-list.
    const revoked = await service.dataSource.query(
      'SELECT 1 FROM revoked_session WHERE session_id = $1',
      [events.sessionRevoked.payload.sessionId],
    );
    expect(revoked).toHaveLength(1);

    // A failed login for an unknown e-mail: its trail is under the e-mail, with the client.
    const failed = await trail(acme.manager, 'user', 'nobody@example.test').expect(200);
    expect(failed.body.data).toEqual([
      expect.objectContaining({
        eventType: 'user.login_failed',
        entityId: 'nobody@example.test',
        ip: '203.0.113.9',
        userAgent: 'curl/8.0',
      }),
    ]);
  });

  it('shows an entity’s trail oldest first, with its changes, whatever the arrival order', async () => {
    const acme = service.organization();
    const events = sampleEvents(acme.id);
    const start = Date.now() - 60_000;
    const at = (second: number) => new Date(start + second * 1000).toISOString();
    // Published newest first: the trail orders by when things happened.
    await service.publish(
      envelope(events.assigned, { timestamp: at(4) }),
      envelope(events.statusChanged, { timestamp: at(3) }),
      envelope(events.updated, {
        timestamp: at(2),
        metadata: { ip: '192.0.2.10', userAgent: 'Mozilla/5.0' },
      }),
      envelope(events.created, { timestamp: at(1) }),
    );
    const body = await eventually(async () => {
      const response = await trail(acme.manager, 'ticket', events.ticketId).expect(200);
      expect(response.body.pagination.total).toBe(4);
      return response.body;
    });
    expect(
      body.data.map((entry: { action: string; changes: unknown; occurredAt: string }) => [
        entry.action,
        entry.changes,
        entry.occurredAt,
      ]),
    ).toEqual([
      ['created', null, at(1)],
      [
        'updated',
        {
          title: { from: 'Printer on fire', to: 'Printer still on fire' },
          priority: { from: 'normal', to: 'urgent' },
        },
        at(2),
      ],
      ['status_changed', { status: { from: 'open', to: 'in_progress' } }, at(3)],
      ['assigned', { assigneeId: { from: null, to: events.assigneeId } }, at(4)],
    ]);
    expect(body.data[1]).toMatchObject({ ip: '192.0.2.10', userAgent: 'Mozilla/5.0' });
    expect(body.data[0]).toMatchObject({ ip: null, userAgent: null });
    expect(body.pagination).toEqual({
      page: 1,
      limit: 20,
      total: 4,
      totalPages: 1,
      hasNext: false,
      hasPrev: false,
    });
    // Paginated like every list.
    const second = await trail(acme.manager, 'ticket', events.ticketId, '?page=2&limit=3').expect(
      200,
    );
    expect(second.body.data.map((entry: { action: string }) => entry.action)).toEqual(['assigned']);
    expect(second.body.pagination).toMatchObject({ page: 2, totalPages: 2, hasPrev: true });

    // The role change, on the user's trail.
    await service.publish(events.roleChanged);
    const role = await eventually(() => trail(acme.admin, 'user', events.userId).expect(200));
    expect(role.body.data[0]).toMatchObject({
      action: 'role_changed',
      changes: { role: { from: 'agent', to: 'manager' } },
    });

    // Another organization sees none of it.
    const other = service.organization();
    await trail(other.manager, 'ticket', events.ticketId).expect(404);
    const entryId = body.data[0].id;
    await service.http.get(`/api/v1/audit/${entryId}`).set(other.admin.auth).expect(404);
    const own = await service.http.get(`/api/v1/audit/${entryId}`).set(acme.manager.auth);
    expect(own.status).toBe(200);
    expect(own.body).toMatchObject({ id: entryId, eventId: events.created.eventId });
  });
});
