import { SlaBreachSweeper } from './sla-breach-sweeper';
import { startTicketService, type TicketServiceFixture } from '../test/ticket-service-fixture';

describe('SLA breach sweeper', () => {
  let service: TicketServiceFixture;
  const sweeper = () => service.app.get(SlaBreachSweeper);

  beforeAll(async () => {
    service = await startTicketService();
  });
  afterAll(() => service?.close());

  /** Moves a ticket's clocks (and due times) into the past, as if it had been open that long. */
  async function age(ticketId: string, hours: number): Promise<void> {
    const shift = (iso: string | null) =>
      iso === null ? null : new Date(Date.parse(iso) - hours * 3_600_000).toISOString();
    const [row] = await service.dataSource.query('SELECT sla_clocks FROM ticket WHERE id = $1', [
      ticketId,
    ]);
    const clocks = row.sla_clocks;
    for (const name of ['firstResponse', 'resolution'])
      clocks[name] = {
        ...clocks[name],
        startedAt: shift(clocks[name].startedAt),
        runningSince: shift(clocks[name].runningSince),
      };
    await service.dataSource.query(
      `UPDATE ticket SET sla_clocks = $2,
         first_response_due_at = first_response_due_at - make_interval(hours => $3),
         resolution_due_at = resolution_due_at - make_interval(hours => $3)
       WHERE id = $1`,
      [ticketId, JSON.stringify(clocks), hours],
    );
  }

  it('records each breached target once and publishes ticket.sla_breached once per target', async () => {
    const organization = await service.organization();
    const ticket = (
      await service.http
        .post('/api/v1/tickets')
        .set(organization.admin.auth)
        .send({ title: 'Slow', description: 'd', priority: 'urgent' })
        .expect(201)
    ).body;
    // Urgent: 1 h to first response, 4 h to resolution. Two hours in: only the first is breached.
    await age(ticket.id, 2);
    expect(await sweeper().sweepNow()).toBe(1);
    expect(await sweeper().sweepNow()).toBe(0);
    const after = await service.http
      .get(`/api/v1/tickets/${ticket.id}`)
      .set(organization.admin.auth)
      .expect(200);
    expect(after.body.sla).toMatchObject({
      firstResponseBreached: true,
      resolutionBreached: false,
    });

    await age(ticket.id, 3);
    expect(await sweeper().sweepNow()).toBe(1);
    expect(await sweeper().sweepNow()).toBe(0);
    const events = (await service.outbox('ticket.sla_breached')).filter(
      (row) => row.envelope.aggregateId === ticket.id,
    );
    expect(events.map((row) => row.envelope.payload.target)).toEqual([
      'first_response',
      'resolution',
    ]);
    expect(events[0]?.envelope).toMatchObject({
      tenantId: organization.id,
      payload: {
        ticketId: ticket.id,
        number: ticket.number,
        priority: 'urgent',
        requesterId: organization.admin.id,
        dueAt: expect.any(String),
      },
      metadata: { actorType: 'system' },
    });
  });

  it('never breaches a paused (pending) or answered target', async () => {
    const organization = await service.organization();
    const agent = await organization.member('agent');
    const open = async () =>
      (
        await service.http
          .post('/api/v1/tickets')
          .set(organization.admin.auth)
          .send({ title: 'T', description: 'd', priority: 'urgent' })
          .expect(201)
      ).body;
    const pending = await open();
    const answered = await open();
    await service.http
      .patch(`/api/v1/tickets/${pending.id}`)
      .set(agent.auth)
      .send({ status: 'pending' })
      .expect(200);
    await service.http
      .post(`/api/v1/tickets/${answered.id}/comments`)
      .set(agent.auth)
      .send({ body: 'Looking at it' })
      .expect(201);
    await age(pending.id, 2);
    await age(answered.id, 2);

    expect(await sweeper().sweepNow()).toBe(0);
  });

  it('lets only one of two concurrent sweeps record a breach', async () => {
    const organization = await service.organization();
    const ticket = (
      await service.http
        .post('/api/v1/tickets')
        .set(organization.admin.auth)
        .send({ title: 'Race', description: 'd', priority: 'urgent' })
        .expect(201)
    ).body;
    await age(ticket.id, 2);
    const other = new SlaBreachSweeper(
      service.dataSource,
      service.app.get(SlaBreachSweeper)['eventBus'],
      service.app.get(SlaBreachSweeper)['contexts'],
    );
    const [a, b] = await Promise.all([sweeper().sweepNow(), other.sweepNow()]);
    expect(a + b).toBe(1);
    const events = (await service.outbox('ticket.sla_breached')).filter(
      (row) => row.envelope.aggregateId === ticket.id,
    );
    expect(events).toHaveLength(1);
  });
});
