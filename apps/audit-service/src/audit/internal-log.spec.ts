import { randomUUID } from 'node:crypto';
import { ServiceTokens } from '@helpdesk/auth';
import { startAuditService, type AuditServiceFixture } from '../test/audit-service-fixture';

const fieldsOf = (body: { errors?: { field: string }[] }) =>
  [...new Set((body.errors ?? []).map((error) => error.field))].sort();

describe('audit-service: POST /internal/audit/log', () => {
  let service: AuditServiceFixture;
  const post = (token: string | undefined, body: object, headers: Record<string, string> = {}) => {
    const call = service.http.post('/internal/audit/log').set(headers);
    return (token ? call.set('Authorization', `Bearer ${token}`) : call).send(body);
  };
  const serviceToken = () => service.app.get(ServiceTokens).issue('audit-service');

  beforeAll(async () => {
    service = await startAuditService();
  });
  afterAll(() => service?.close());

  it('records an entry for a service, readable by the organization’s managers', async () => {
    const acme = service.organization();
    const reportId = randomUUID();
    const response = await post(
      serviceToken(),
      {
        organizationId: acme.id,
        entityType: 'report',
        entityId: reportId,
        action: 'exported',
        actorId: acme.admin.id,
        actorType: 'user',
        changes: { format: { from: null, to: 'csv' } },
        ip: '192.0.2.44',
        userAgent: 'Mozilla/5.0',
      },
      { 'X-Request-ID': 'req-internal-1' },
    ).expect(201);
    expect(response.body).toEqual({
      id: expect.any(String),
      organizationId: acme.id,
      eventId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      eventType: 'report.exported',
      entityType: 'report',
      entityId: reportId,
      actorId: acme.admin.id,
      actorType: 'user',
      action: 'exported',
      changes: { format: { from: null, to: 'csv' } },
      ip: '192.0.2.44',
      userAgent: 'Mozilla/5.0',
      correlationId: 'req-internal-1',
      occurredAt: expect.any(String),
      payload: null,
    });
    expect(Math.abs(Date.parse(response.body.occurredAt) - Date.now())).toBeLessThan(10_000);
    const trail = await service.http
      .get(`/api/v1/audit/entity/report/${reportId}`)
      .set(acme.manager.auth)
      .expect(200);
    expect(trail.body.data).toEqual([response.body]);

    // Minimal body: optional fields default.
    const minimal = await post(serviceToken(), {
      organizationId: acme.id,
      entityType: 'report',
      entityId: reportId,
      action: 'viewed',
      actorType: 'system',
      occurredAt: '2026-01-01T00:00:00Z',
    }).expect(201);
    expect(minimal.body).toMatchObject({
      actorId: null,
      changes: null,
      ip: null,
      userAgent: null,
      correlationId: expect.any(String),
      occurredAt: '2026-01-01T00:00:00.000Z',
    });
  });

  it('refuses user tokens (any role) and missing tokens', async () => {
    const acme = service.organization();
    const body = {
      organizationId: acme.id,
      entityType: 'report',
      entityId: 'r1',
      action: 'exported',
      actorType: 'user',
    };
    await post(undefined, body).expect(401);
    await post(acme.admin.token, body).expect(401);
    const [{ count }] = await service.dataSource.query(
      'SELECT count(*)::int AS count FROM audit_entry WHERE tenant_id = $1',
      [acme.id],
    );
    expect(count).toBe(0);
  });

  it('validates the body (400 naming each field)', async () => {
    const response = await post(serviceToken(), {
      organizationId: 'acme',
      entityType: 'Report Type',
      entityId: 'x'.repeat(201),
      action: '',
      actorType: 'robot',
      changes: { title: 'new' },
      ip: 'x'.repeat(65),
      occurredAt: 'yesterday',
      extra: true,
    }).expect(400);
    expect(fieldsOf(response.body)).toEqual([
      'action',
      'actorType',
      'changes',
      'entityId',
      'entityType',
      'extra',
      'ip',
      'occurredAt',
      'organizationId',
    ]);
  });
});
