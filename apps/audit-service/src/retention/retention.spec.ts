import { randomUUID } from 'node:crypto';
import { startAuditService, type AuditServiceFixture } from '../test/audit-service-fixture';
import { RetentionJob } from './retention-job';

const fieldsOf = (body: { errors?: { field: string }[] }) =>
  [...new Set((body.errors ?? []).map((error) => error.field))].sort();

describe('audit-service: retention and the append-only log', () => {
  let service: AuditServiceFixture;
  const retention = (by: { auth: { Authorization: string } }) =>
    service.http.get('/api/v1/audit/retention').set(by.auth);
  const setRetention = (by: { auth: { Authorization: string } }, body: unknown) =>
    service.http
      .put('/api/v1/audit/retention')
      .set(by.auth)
      .send(body as object);
  const count = async (tenantId: string) =>
    (
      await service.dataSource.query(
        'SELECT count(*)::int AS count FROM audit_entry WHERE tenant_id = $1',
        [tenantId],
      )
    )[0].count as number;

  beforeAll(async () => {
    service = await startAuditService();
  });
  afterAll(() => service?.close());

  it('keeps entries forever until an admin sets keepDays; only admins see or set it', async () => {
    const acme = service.organization();
    await retention(acme.admin).expect(200, { keepDays: null });
    await retention(acme.manager).expect(403);
    await setRetention(acme.manager, { keepDays: 30 }).expect(403);
    await setRetention(acme.admin, { keepDays: 30 }).expect(200, { keepDays: 30 });
    await retention(acme.admin).expect(200, { keepDays: 30 });
    await retention(service.organization().admin).expect(200, { keepDays: null });
    await setRetention(acme.admin, { keepDays: null }).expect(200, { keepDays: null });
    await setRetention(acme.admin, { keepDays: 36500 }).expect(200, { keepDays: 36500 });
    for (const body of [
      { keepDays: 0 },
      { keepDays: 36501 },
      { keepDays: 1.5 },
      { keepDays: '30' },
      {},
    ])
      expect(fieldsOf((await setRetention(acme.admin, body).expect(400)).body)).toEqual([
        'keepDays',
      ]);
    expect(
      fieldsOf((await setRetention(acme.admin, { keepDays: 5, extra: 1 }).expect(400)).body),
    ).toEqual(['extra']);
  });

  it('deletes, in slices, only the old entries of the organizations that set a retention', async () => {
    const keeping = service.organization();
    const forever = service.organization();
    const now = new Date('2026-06-01T00:00:00.000Z');
    const daysAgo = (days: number) => new Date(now.getTime() - days * 86_400_000);
    // 12,000 old entries (more than one slice) and a few recent ones.
    await service.insertMany(keeping.id, 12_000, daysAgo(31));
    await service.insertMany(keeping.id, 5, daysAgo(29));
    await service.insertMany(forever.id, 50, daysAgo(400));
    await setRetention(keeping.admin, { keepDays: 30 }).expect(200);

    const deleted = await service.app.get(RetentionJob).runNow(now);
    expect(deleted).toBe(12_000);
    expect(await count(keeping.id)).toBe(5);
    expect(await count(forever.id)).toBe(50);
    // Nothing more to do the next day.
    expect(await service.app.get(RetentionJob).runNow(now)).toBe(0);
  });

  it('lets one replica run the job at a time (advisory lock)', async () => {
    const runner = service.dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.query('SELECT pg_advisory_lock($1)', [0x61756431]);
      const org = service.organization();
      await service.insertMany(org.id, 3, new Date('2000-01-01T00:00:00Z'));
      await setRetention(org.admin, { keepDays: 1 }).expect(200);
      // The same reference day as above: only this organization's entries are due.
      const now = new Date('2026-06-01T00:00:00.000Z');
      expect(await service.app.get(RetentionJob).runNow(now)).toBe(0);
      expect(await count(org.id)).toBe(3);
      await runner.query('SELECT pg_advisory_unlock($1)', [0x61756431]);
      expect(await service.app.get(RetentionJob).runNow(now)).toBe(3);
    } finally {
      await runner.release();
    }
  });

  it('refuses UPDATE, DELETE and TRUNCATE of audit entries outside the retention job', async () => {
    const org = service.organization();
    const [id] = await service.insertEntries([{ tenantId: org.id, action: 'created' }]);
    await expect(
      service.dataSource.query(`UPDATE audit_entry SET action = 'forged' WHERE id = $1`, [id]),
    ).rejects.toThrow(/append-only: UPDATE refused/);
    await expect(
      service.dataSource.query('DELETE FROM audit_entry WHERE id = $1', [id]),
    ).rejects.toThrow(/append-only: DELETE refused/);
    await expect(service.dataSource.query('TRUNCATE audit_entry')).rejects.toThrow(
      /append-only: TRUNCATE refused/,
    );
    const [row] = await service.dataSource.query('SELECT action FROM audit_entry WHERE id = $1', [
      id,
    ]);
    expect(row.action).toBe('created');
    // A duplicate event id is not written a second time.
    const [{ event_id: eventId }] = await service.dataSource.query(
      'SELECT event_id FROM audit_entry WHERE id = $1',
      [id],
    );
    await expect(
      service.dataSource.query(
        `INSERT INTO audit_entry (id, tenant_id, event_id, event_type, entity_type, entity_id, actor_type, action, occurred_at)
         VALUES ($1, $2, $3, 'ticket.created', 'ticket', 't', 'system', 'created', now())`,
        [randomUUID(), org.id, eventId],
      ),
    ).rejects.toThrow(/uq_audit_entry_event_id/);
  });
});
