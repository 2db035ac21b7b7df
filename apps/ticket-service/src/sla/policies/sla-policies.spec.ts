import { withTransaction } from '@helpdesk/database';
import { DEFAULT_SLA_POLICY } from '../../domain/sla-policy';
import {
  startTicketService,
  type Member,
  type Organization,
  type TicketServiceFixture,
} from '../../test/ticket-service-fixture';
import { MAX_SLA_MINUTES } from './sla-policies.dto';
import { SlaPolicies } from './sla-policies';

const fieldsOf = (body: { errors?: { field: string }[] }) =>
  [...new Set((body.errors ?? []).map((error) => error.field))].sort();

const target = (priority: string, firstResponseMinutes: number, resolutionMinutes: number) => ({
  priority,
  firstResponseMinutes,
  resolutionMinutes,
});

describe('ticket-service /sla-policies', () => {
  let service: TicketServiceFixture;
  let org: Organization;
  let agent: Member;
  const http = () => service.http;
  const get = (by?: Member) => {
    const call = http().get('/api/v1/sla-policies');
    return by ? call.set(by.auth) : call;
  };
  const put = (by: Member | undefined, body: unknown) => {
    const call = http().put('/api/v1/sla-policies');
    return (by ? call.set(by.auth) : call).send(body as object);
  };
  const storedRow = async (tenantId: string) =>
    (
      await service.dataSource.query('SELECT * FROM sla_policy WHERE tenant_id = $1', [tenantId])
    )[0];

  beforeAll(async () => {
    service = await startTicketService();
    org = await service.organization();
    agent = await org.member('agent');
  });
  afterAll(() => service?.close());

  it('is 401 without a token', async () => {
    await get().expect(401);
    await put(undefined, { policies: [], businessHoursOnly: false }).expect(401);
  });

  it('shows agents and above the default policy until an admin sets one; requesters get 403', async () => {
    const fresh = await service.organization();
    for (const role of ['agent', 'manager'] as const) {
      const response = await get(await fresh.member(role)).expect(200);
      expect(response.body).toEqual(DEFAULT_SLA_POLICY);
    }
    expect((await get(fresh.admin).expect(200)).body).toEqual(DEFAULT_SLA_POLICY);
    await get(await fresh.member('requester')).expect(403);
    expect(await storedRow(fresh.id)).toBeUndefined();
  });

  it('lets only admins replace the policy', async () => {
    const body = { policies: [target('urgent', 10, 20)], businessHoursOnly: true };
    await put(agent, body).expect(403);
    await put(await org.member('manager'), body).expect(403);
    await put(await org.member('requester'), body).expect(403);
    expect(await storedRow(org.id)).toBeUndefined();
  });

  it('replaces the whole policy for the admin’s organization only, version by version, without an event', async () => {
    const other = await service.organization();
    const eventsBefore = (await service.outbox()).length;
    const first = await put(org.admin, {
      policies: [target('low', 2880, 10080), target('urgent', 15, 120), target('high', 60, 480)],
      businessHoursOnly: true,
    }).expect(200);
    // Most severe first; `normal` was left out: it has no target any more.
    const expected = {
      policies: [target('urgent', 15, 120), target('high', 60, 480), target('low', 2880, 10080)],
      businessHoursOnly: true,
    };
    expect(first.body).toEqual(expected);
    expect((await get(agent).expect(200)).body).toEqual(expected);
    expect((await get(other.admin).expect(200)).body).toEqual(DEFAULT_SLA_POLICY);
    expect(await storedRow(org.id)).toMatchObject({ version: 1, business_hours_only: true });

    const second = await put(org.admin, {
      policies: [target('normal', 1, 1), target('low', MAX_SLA_MINUTES, MAX_SLA_MINUTES)],
      businessHoursOnly: false,
    }).expect(200);
    expect(second.body).toEqual({
      policies: [target('normal', 1, 1), target('low', MAX_SLA_MINUTES, MAX_SLA_MINUTES)],
      businessHoursOnly: false,
    });
    expect(await storedRow(org.id)).toMatchObject({ version: 2, business_hours_only: false });

    // No priority at all: no SLA targets for this organization.
    await put(org.admin, { policies: [], businessHoursOnly: false }).expect(200, {
      policies: [],
      businessHoursOnly: false,
    });
    expect((await get(agent).expect(200)).body).toEqual({ policies: [], businessHoursOnly: false });
    expect(await storedRow(org.id)).toMatchObject({ version: 3 });
    expect((await service.outbox()).length).toBe(eventsBefore);
  });

  it('gives the lead’s handlers the stored policy, inside their transaction', async () => {
    const own = await service.organization();
    const policies = service.app.get(SlaPolicies);
    expect(await policies.forTenant(own.id)).toEqual(DEFAULT_SLA_POLICY);
    await put(own.admin, { policies: [target('high', 5, 50)], businessHoursOnly: true }).expect(
      200,
    );
    await withTransaction(service.dataSource, async () => {
      expect(await policies.forTenant(own.id)).toEqual({
        policies: [target('high', 5, 50)],
        businessHoursOnly: true,
      });
    });
    // The default handed out is a copy: a caller changing it cannot change it for everyone.
    const fresh = await service.organization();
    (await policies.forTenant(fresh.id)).policies.pop();
    expect(await policies.forTenant(fresh.id)).toEqual(DEFAULT_SLA_POLICY);
  });

  it('budgets tickets created afterwards by the new policy', async () => {
    const own = await service.organization();
    const requester = await own.member('requester');
    await put(own.admin, {
      policies: [target('urgent', 30, 60)],
      businessHoursOnly: false,
    }).expect(200);
    const open = (priority: string) =>
      http()
        .post('/api/v1/tickets')
        .set(requester.auth)
        .send({ title: 'Printer', description: 'Jammed.', priority });
    const urgent = await open('urgent').expect(201);
    const created = Date.parse(urgent.body.createdAt);
    expect(Date.parse(urgent.body.sla.firstResponseDueAt) - created).toBe(30 * 60_000);
    expect(Date.parse(urgent.body.sla.resolutionDueAt) - created).toBe(60 * 60_000);
    // A priority without a target has no due times.
    const low = await open('low').expect(201);
    expect(low.body.sla).toMatchObject({ firstResponseDueAt: null, resolutionDueAt: null });
  });

  describe('validation (400 naming the field; nothing stored)', () => {
    let validating: Organization;
    beforeAll(async () => {
      validating = await service.organization();
    });
    const refused = async (body: unknown, fields: string[]) => {
      const response = await put(validating.admin, body).expect(400);
      expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(fieldsOf(response.body)).toEqual(fields);
      expect(await storedRow(validating.id)).toBeUndefined();
      return response;
    };

    it('refuses a priority given twice, naming each repetition', async () => {
      const response = await refused(
        {
          policies: [
            target('urgent', 10, 20),
            target('high', 10, 20),
            target('urgent', 30, 40),
            target('urgent', 50, 60),
          ],
          businessHoursOnly: false,
        },
        ['policies[2].priority', 'policies[3].priority'],
      );
      expect(response.body.errors[0].message).toMatch(/policies\[0\]\.priority/);
    });

    it('refuses minutes that are not integers from 1 to 525600', async () => {
      await refused(
        {
          policies: [
            target('urgent', 0, 10),
            target('high', 10, MAX_SLA_MINUTES + 1),
            target('normal', 1.5, 10),
            { priority: 'low', firstResponseMinutes: '60', resolutionMinutes: null },
          ],
          businessHoursOnly: false,
        },
        [
          'policies[0].firstResponseMinutes',
          'policies[1].resolutionMinutes',
          'policies[2].firstResponseMinutes',
          'policies[3].firstResponseMinutes',
          'policies[3].resolutionMinutes',
        ],
      );
      await refused(
        { policies: [{ priority: 'low', firstResponseMinutes: 5 }], businessHoursOnly: false },
        ['policies[0].resolutionMinutes'],
      );
    });

    it('refuses a resolution target before the first response target', async () => {
      const response = await refused(
        { policies: [target('high', 10, 10), target('low', 61, 60)], businessHoursOnly: false },
        ['policies[1].resolutionMinutes'],
      );
      expect(response.body.errors[0].message).toBe('must be at least firstResponseMinutes');
    });

    it('refuses unknown priorities, unknown fields and missing or mistyped ones', async () => {
      await refused(
        { policies: [target('critical', 1, 2), target('URGENT', 1, 2)], businessHoursOnly: false },
        ['policies[0].priority', 'policies[1].priority'],
      );
      await refused(
        { policies: [{ ...target('low', 1, 2), escalateTo: 'boss' }], businessHoursOnly: false },
        ['policies[0].escalateTo'],
      );
      await refused({ policies: [], businessHoursOnly: false, tenantId: org.id }, ['tenantId']);
      await refused({ policies: [] }, ['businessHoursOnly']);
      await refused({ policies: [], businessHoursOnly: 'yes' }, ['businessHoursOnly']);
      await refused({ businessHoursOnly: true }, ['policies']);
      const notAnArray = await put(validating.admin, {
        policies: { urgent: target('urgent', 1, 2) },
        businessHoursOnly: true,
      }).expect(400);
      expect(fieldsOf(notAnArray.body)).toContain('policies');
      await refused({ policies: ['urgent', null], businessHoursOnly: true }, [
        'policies[0]',
        'policies[1]',
      ]);
    });
  });
});
