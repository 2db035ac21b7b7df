import {
  startTicketService,
  type Member,
  type Organization,
  type TicketServiceFixture,
} from '../test/ticket-service-fixture';

describe('ticket-service: /tickets', () => {
  let service: TicketServiceFixture;
  let acme: Organization;
  let agent: Member;
  let requester: Member;
  const http = () => service.http;

  const create = (who: Member, body: Record<string, unknown> = {}) =>
    http()
      .post('/api/v1/tickets')
      .set(who.auth)
      .send({ title: 'Printer on fire', description: 'It is really on fire.', ...body });

  beforeAll(async () => {
    service = await startTicketService();
    acme = await service.organization();
    agent = await acme.member('agent');
    requester = await acme.member('requester');
  });
  afterAll(() => service?.close());

  describe('create', () => {
    it('opens a ticket for the caller with defaults, numbered, with SLA due times and an ETag', async () => {
      const response = await create(requester, {
        tags: ['Hardware', 'hardware', ' urgent '],
      }).expect(201);
      expect(response.body).toMatchObject({
        organizationId: acme.id,
        number: expect.any(Number),
        title: 'Printer on fire',
        status: 'open',
        priority: 'normal',
        tags: ['hardware', 'urgent'],
        requesterId: requester.id,
        assigneeId: null,
        departmentId: null,
        firstResponseAt: null,
        resolvedAt: null,
        closedAt: null,
        sla: {
          firstResponseDueAt: expect.any(String),
          resolutionDueAt: expect.any(String),
          firstResponseBreached: false,
          resolutionBreached: false,
        },
        version: 1,
      });
      expect(response.headers['etag']).toBe('"1"');
      const created = Date.parse(response.body.createdAt);
      // The default policy: normal = 8 h to first response, 48 h to resolution, around the clock.
      expect(Date.parse(response.body.sla.firstResponseDueAt) - created).toBe(8 * 3_600_000);
      expect(Date.parse(response.body.sla.resolutionDueAt) - created).toBe(48 * 3_600_000);
    });

    it('lets agents open on behalf of a requester, not requesters for someone else', async () => {
      const onBehalf = await create(agent, { requesterId: requester.id }).expect(201);
      expect(onBehalf.body.requesterId).toBe(requester.id);
      const other = await acme.member('requester');
      await create(requester, { requesterId: other.id }).expect(403);
    });

    it('refuses a requester or department outside the organization (400 naming the field)', async () => {
      const elsewhere = await service.organization();
      const stranger = await elsewhere.member('requester');
      const foreignDepartment = await elsewhere.department();
      const requesterProblem = await create(agent, { requesterId: stranger.id }).expect(400);
      expect(requesterProblem.body.errors).toEqual([
        { field: 'requesterId', message: expect.any(String) },
      ]);
      const departmentProblem = await create(agent, { departmentId: foreignDepartment }).expect(
        400,
      );
      expect(departmentProblem.body.errors).toEqual([
        { field: 'departmentId', message: expect.any(String) },
      ]);
      const ownDepartment = await acme.department('Support');
      const inDepartment = await create(agent, { departmentId: ownDepartment }).expect(201);
      expect(inDepartment.body.departmentId).toBe(ownDepartment);
    });

    it('names every invalid field and refuses unknown ones', async () => {
      const response = await http()
        .post('/api/v1/tickets')
        .set(requester.auth)
        .send({
          title: '',
          description: 'x'.repeat(20001),
          priority: 'meh',
          tags: ['a,b'],
          status: 'closed',
        })
        .expect(400);
      const fields = response.body.errors.map((error: { field: string }) => error.field);
      expect(fields).toEqual(
        expect.arrayContaining(['title', 'description', 'priority', 'tags[0]', 'status']),
      );
    });

    it('needs a token', async () => {
      const response = await http()
        .post('/api/v1/tickets')
        .send({ title: 't', description: 'd' })
        .expect(401);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    });

    it('numbers 50 concurrent creates 1..50 without gaps or duplicates', async () => {
      const organization = await service.organization();
      const answers = await Promise.all(
        Array.from({ length: 50 }, () => create(organization.admin)),
      );
      expect(answers.map((answer) => answer.status)).toEqual(Array(50).fill(201));
      const numbers = answers.map((answer) => answer.body.number as number).sort((a, b) => a - b);
      expect(numbers).toEqual(Array.from({ length: 50 }, (_, index) => index + 1));
    });

    it('commits concurrent creates together, yet each event is its own request’s (actor, request id, user agent)', async () => {
      const organization = await service.organization();
      const members = [
        organization.admin,
        await organization.member('agent'),
        await organization.member('requester'),
      ];
      const answers = await Promise.all(
        Array.from({ length: 30 }, (_, index) =>
          create(members[index % 3] as Member, { title: `Concurrent ${index}` })
            .set('X-Request-ID', `concurrent-${index}`)
            .set('User-Agent', `agent-of-${index}`),
        ),
      );

      const created = (await service.outbox('ticket.created')).filter(
        (row) => row.envelope.tenantId === organization.id,
      );
      expect(created).toHaveLength(30);
      const byTitle = new Map(created.map((row) => [row.envelope.payload.title, row.envelope]));
      answers.forEach((answer, index) => {
        expect(answer.status).toBe(201);
        expect(byTitle.get(`Concurrent ${index}`)).toMatchObject({
          aggregateId: answer.body.id,
          payload: { number: answer.body.number },
          metadata: {
            actorId: (members[index % 3] as Member).id,
            correlationId: `concurrent-${index}`,
            userAgent: `agent-of-${index}`,
          },
        });
      });
    });
  });

  describe('Idempotency-Key', () => {
    it('answers a retry with the first answer and creates one ticket', async () => {
      const organization = await service.organization();
      const send = () =>
        create(organization.admin, { title: 'Once only' }).set('Idempotency-Key', 'retry-1');
      const first = await send().expect(201);
      const second = await send().expect(201);
      expect(second.body).toEqual(first.body);
      const list = await http().get('/api/v1/tickets').set(organization.admin.auth).expect(200);
      expect(list.body.pagination.total).toBe(1);
    });

    it('gives concurrent duplicates identical answers and one ticket', async () => {
      const organization = await service.organization();
      const answers = await Promise.all(
        Array.from({ length: 5 }, () =>
          create(organization.admin, { title: 'Concurrent' }).set('Idempotency-Key', 'burst-1'),
        ),
      );
      expect(answers.map((answer) => answer.status)).toEqual(Array(5).fill(201));
      for (const answer of answers) expect(answer.body).toEqual(answers[0]?.body);
      const list = await http().get('/api/v1/tickets').set(organization.admin.auth).expect(200);
      expect(list.body.pagination.total).toBe(1);
    });

    it('refuses the same key with another body (422); another caller may use the same key', async () => {
      await create(requester, { title: 'A' }).set('Idempotency-Key', 'shared-key').expect(201);
      await create(requester, { title: 'B' }).set('Idempotency-Key', 'shared-key').expect(422);
      await create(agent, { title: 'B' }).set('Idempotency-Key', 'shared-key').expect(201);
    });
  });

  describe('read', () => {
    it('gets a ticket with its ETag; another organization’s or another requester’s is 404', async () => {
      const ticket = (await create(requester).expect(201)).body;
      const got = await http().get(`/api/v1/tickets/${ticket.id}`).set(requester.auth).expect(200);
      expect(got.body).toEqual(ticket);
      expect(got.headers['etag']).toBe('"1"');
      await http().get(`/api/v1/tickets/${ticket.id}`).set(agent.auth).expect(200);

      const otherRequester = await acme.member('requester');
      await http().get(`/api/v1/tickets/${ticket.id}`).set(otherRequester.auth).expect(404);
      const stranger = (await service.organization()).admin;
      await http().get(`/api/v1/tickets/${ticket.id}`).set(stranger.auth).expect(404);
      await http().get('/api/v1/tickets/not-a-uuid').set(agent.auth).expect(404);
    });

    it('lists with filters, sorts and pagination', async () => {
      const organization = await service.organization();
      const staff = await organization.member('agent');
      const asker = await organization.member('requester');
      const department = await organization.department();
      const urgent = (
        await create(asker, { title: 'Urgent one', priority: 'urgent', tags: ['vip'] }).expect(201)
      ).body;
      const low = (await create(asker, { title: 'Low one', priority: 'low' }).expect(201)).body;
      const inDept = (
        await create(staff, { title: 'Dept one', departmentId: department }).expect(201)
      ).body;
      await http()
        .patch(`/api/v1/tickets/${low.id}/assign`)
        .set(staff.auth)
        .send({ assigneeId: staff.id })
        .expect(200);
      await http()
        .patch(`/api/v1/tickets/${low.id}`)
        .set(staff.auth)
        .send({ status: 'in_progress' })
        .expect(200);

      const ids = async (query: string, who: Member = staff) =>
        (await http().get(`/api/v1/tickets?${query}`).set(who.auth).expect(200)).body.data.map(
          (t: { id: string }) => t.id,
        );
      expect(await ids('')).toEqual([inDept.id, low.id, urgent.id]);
      expect(await ids('sort=createdAt')).toEqual([urgent.id, low.id, inDept.id]);
      expect(await ids('sort=-priority')).toEqual([urgent.id, inDept.id, low.id]);
      expect(await ids('sort=priority')).toEqual([low.id, inDept.id, urgent.id]);
      expect(await ids('sort=-updatedAt')).toEqual([low.id, inDept.id, urgent.id]);
      expect(await ids('status=in_progress')).toEqual([low.id]);
      expect(await ids('priority=urgent')).toEqual([urgent.id]);
      expect(await ids(`assigneeId=${staff.id}`)).toEqual([low.id]);
      expect(await ids('assigneeId=none')).toEqual([inDept.id, urgent.id]);
      expect(await ids(`requesterId=${asker.id}`)).toEqual([low.id, urgent.id]);
      expect(await ids(`departmentId=${department}`)).toEqual([inDept.id]);
      expect(await ids('tag=VIP')).toEqual([urgent.id]);
      expect(await ids('q=urgent')).toEqual([urgent.id]);
      // Requesters see only their own.
      expect(await ids('', asker)).toEqual([low.id, urgent.id]);

      const page = await http().get('/api/v1/tickets?limit=2&page=2').set(staff.auth).expect(200);
      expect(page.body.pagination).toEqual({
        page: 2,
        limit: 2,
        total: 3,
        totalPages: 2,
        hasNext: false,
        hasPrev: true,
      });
      const clamped = await http().get('/api/v1/tickets?limit=1000').set(staff.auth).expect(200);
      expect(clamped.body.pagination.limit).toBe(100);
      await http().get('/api/v1/tickets?sort=title').set(staff.auth).expect(400);
      await http().get('/api/v1/tickets?status=nope').set(staff.auth).expect(400);
      await http().get('/api/v1/tickets?assigneeId=someone').set(staff.auth).expect(400);
    });

    it('shows an agent their inbox: assigned to them, not resolved or closed; requesters get 403', async () => {
      const organization = await service.organization();
      const staff = await organization.member('agent');
      const mine = (await create(organization.admin, { title: 'Mine' }).expect(201)).body;
      const done = (await create(organization.admin, { title: 'Done' }).expect(201)).body;
      await create(organization.admin, { title: 'Nobody’s' }).expect(201);
      for (const ticket of [mine, done])
        await http()
          .patch(`/api/v1/tickets/${ticket.id}/assign`)
          .set(staff.auth)
          .send({ assigneeId: staff.id })
          .expect(200);
      await http()
        .patch(`/api/v1/tickets/${done.id}`)
        .set(staff.auth)
        .send({ status: 'resolved' })
        .expect(200);

      const inbox = await http().get('/api/v1/tickets/inbox').set(staff.auth).expect(200);
      expect(inbox.body.data.map((ticket: { id: string }) => ticket.id)).toEqual([mine.id]);
      await http().get('/api/v1/tickets/inbox').set(requester.auth).expect(403);
    });
  });

  describe('update', () => {
    it('moves through the status machine; an illegal move is 409 naming the allowed moves', async () => {
      const ticket = (await create(requester).expect(201)).body;
      const moved = await http()
        .patch(`/api/v1/tickets/${ticket.id}`)
        .set(agent.auth)
        .send({ status: 'resolved' })
        .expect(200);
      expect(moved.body).toMatchObject({
        status: 'resolved',
        resolvedAt: expect.any(String),
        version: 2,
      });
      expect(moved.headers['etag']).toBe('"2"');
      const illegal = await http()
        .patch(`/api/v1/tickets/${ticket.id}`)
        .set(agent.auth)
        .send({ status: 'in_progress' })
        .expect(409);
      expect(illegal.body.detail).toContain('closed, open');
      await http()
        .patch(`/api/v1/tickets/${ticket.id}`)
        .set(agent.auth)
        .send({ status: 'closed' })
        .expect(200);
      const final = await http()
        .patch(`/api/v1/tickets/${ticket.id}`)
        .set(agent.auth)
        .send({ status: 'open' })
        .expect(409);
      expect(final.body.status).toBe(409);
    });

    it('lets requesters edit their open ticket and reopen a resolved one — nothing else', async () => {
      const ticket = (await create(requester).expect(201)).body;
      await http()
        .patch(`/api/v1/tickets/${ticket.id}`)
        .set(requester.auth)
        .send({ title: 'Printer smoking' })
        .expect(200);
      await http()
        .patch(`/api/v1/tickets/${ticket.id}`)
        .set(requester.auth)
        .send({ priority: 'urgent' })
        .expect(403);
      await http()
        .patch(`/api/v1/tickets/${ticket.id}`)
        .set(requester.auth)
        .send({ status: 'closed' })
        .expect(403);
      await http()
        .patch(`/api/v1/tickets/${ticket.id}`)
        .set(agent.auth)
        .send({ status: 'resolved' })
        .expect(200);
      await http()
        .patch(`/api/v1/tickets/${ticket.id}`)
        .set(requester.auth)
        .send({ title: 'Too late' })
        .expect(403);
      const reopened = await http()
        .patch(`/api/v1/tickets/${ticket.id}`)
        .set(requester.auth)
        .send({ status: 'open' })
        .expect(200);
      expect(reopened.body).toMatchObject({
        status: 'open',
        resolvedAt: null,
        title: 'Printer smoking',
      });
    });

    it('honours If-Match: a stale version is 412; two updates with the same version → one 412', async () => {
      const ticket = (await create(requester).expect(201)).body;
      const [first, second] = await Promise.all([
        http()
          .patch(`/api/v1/tickets/${ticket.id}`)
          .set(agent.auth)
          .set('If-Match', '"1"')
          .send({ priority: 'high' }),
        http()
          .patch(`/api/v1/tickets/${ticket.id}`)
          .set(agent.auth)
          .set('If-Match', '1')
          .send({ priority: 'low' }),
      ]);
      expect([first.status, second.status].sort()).toEqual([200, 412]);
      await http()
        .patch(`/api/v1/tickets/${ticket.id}`)
        .set(agent.auth)
        .set('If-Match', 'garbage')
        .send({ priority: 'low' })
        .expect(400);
    });

    it('recomputes SLA due times when the priority changes', async () => {
      const ticket = (await create(requester).expect(201)).body;
      const urgent = await http()
        .patch(`/api/v1/tickets/${ticket.id}`)
        .set(agent.auth)
        .send({ priority: 'urgent' })
        .expect(200);
      const created = Date.parse(ticket.createdAt);
      expect(Date.parse(urgent.body.sla.firstResponseDueAt) - created).toBe(60 * 60_000);
      expect(Date.parse(urgent.body.sla.resolutionDueAt) - created).toBe(4 * 3_600_000);
      const [updated] = (await service.outbox('ticket.updated')).filter(
        (row) => row.envelope.aggregateId === ticket.id,
      );
      expect(updated?.envelope.payload.changes).toMatchObject({
        priority: { from: 'normal', to: 'urgent' },
        sla: { from: expect.any(Object), to: expect.any(Object) },
      });
    });

    it('pauses the SLA clock while pending: no due time then, and the time does not count', async () => {
      const ticket = (await create(requester).expect(201)).body;
      const pending = await http()
        .patch(`/api/v1/tickets/${ticket.id}`)
        .set(agent.auth)
        .send({ status: 'pending' })
        .expect(200);
      expect(pending.body.sla).toMatchObject({ firstResponseDueAt: null, resolutionDueAt: null });
      // Pretend the ticket waited on the requester for two hours.
      await service.dataSource.query(
        `UPDATE ticket SET sla_clocks = jsonb_set(jsonb_set(sla_clocks, '{firstResponse,startedAt}', to_jsonb((now() - interval '2 hours')::text)), '{resolution,startedAt}', to_jsonb((now() - interval '2 hours')::text)) WHERE id = $1`,
        [ticket.id],
      );
      const resumed = await http()
        .patch(`/api/v1/tickets/${ticket.id}`)
        .set(agent.auth)
        .send({ status: 'in_progress' })
        .expect(200);
      // Due = resume time + what was left of the 8 h budget: at least 7 h 59 min ahead.
      expect(Date.parse(resumed.body.sla.firstResponseDueAt) - Date.now()).toBeGreaterThan(
        8 * 3_600_000 - 120_000,
      );
    });
  });

  describe('assign', () => {
    it('assigns to staff of the organization, unassigns with null, refuses others (400) and requesters (403)', async () => {
      const ticket = (await create(requester).expect(201)).body;
      const assigned = await http()
        .patch(`/api/v1/tickets/${ticket.id}/assign`)
        .set(agent.auth)
        .send({ assigneeId: agent.id })
        .expect(200);
      expect(assigned.body.assigneeId).toBe(agent.id);
      const notStaff = await http()
        .patch(`/api/v1/tickets/${ticket.id}/assign`)
        .set(agent.auth)
        .send({ assigneeId: requester.id })
        .expect(400);
      expect(notStaff.body.errors).toEqual([{ field: 'assigneeId', message: expect.any(String) }]);
      const stranger = await (await service.organization()).member('agent');
      await http()
        .patch(`/api/v1/tickets/${ticket.id}/assign`)
        .set(agent.auth)
        .send({ assigneeId: stranger.id })
        .expect(400);
      await http()
        .patch(`/api/v1/tickets/${ticket.id}/assign`)
        .set(requester.auth)
        .send({ assigneeId: agent.id })
        .expect(403);
      const unassigned = await http()
        .patch(`/api/v1/tickets/${ticket.id}/assign`)
        .set(agent.auth)
        .send({ assigneeId: null })
        .expect(200);
      expect(unassigned.body.assigneeId).toBeNull();
      const events = (await service.outbox('ticket.assigned')).filter(
        (row) => row.envelope.aggregateId === ticket.id,
      );
      expect(
        events.map((row) => [
          row.envelope.payload.previousAssigneeId,
          row.envelope.payload.assigneeId,
        ]),
      ).toEqual([
        [null, agent.id],
        [agent.id, null],
      ]);
    });
  });

  describe('delete', () => {
    it('is for admins only', async () => {
      const ticket = (await create(requester).expect(201)).body;
      await http().delete(`/api/v1/tickets/${ticket.id}`).set(agent.auth).expect(403);
      await http().delete(`/api/v1/tickets/${ticket.id}`).set(acme.admin.auth).expect(204);
      await http().get(`/api/v1/tickets/${ticket.id}`).set(acme.admin.auth).expect(404);
      const deleted = (await service.outbox('ticket.deleted')).filter(
        (row) => row.envelope.aggregateId === ticket.id,
      );
      expect(deleted).toHaveLength(1);
    });
  });

  describe('comments', () => {
    it('keeps internal comments from requesters; an agent’s first public comment is the first response', async () => {
      const ticket = (await create(requester).expect(201)).body;
      await http()
        .post(`/api/v1/tickets/${ticket.id}/comments`)
        .set(requester.auth)
        .send({ body: 'Any news?' })
        .expect(201);
      await http()
        .post(`/api/v1/tickets/${ticket.id}/comments`)
        .set(requester.auth)
        .send({ body: 'Secret', internal: true })
        .expect(403);
      const note = await http()
        .post(`/api/v1/tickets/${ticket.id}/comments`)
        .set(agent.auth)
        .send({ body: 'Customer is grumpy', internal: true })
        .expect(201);
      expect(note.body).toMatchObject({
        ticketId: ticket.id,
        authorId: agent.id,
        internal: true,
        body: 'Customer is grumpy',
      });
      let current = await http().get(`/api/v1/tickets/${ticket.id}`).set(agent.auth).expect(200);
      expect(current.body.firstResponseAt).toBeNull();
      await http()
        .post(`/api/v1/tickets/${ticket.id}/comments`)
        .set(agent.auth)
        .send({ body: 'On my way' })
        .expect(201);
      current = await http().get(`/api/v1/tickets/${ticket.id}`).set(agent.auth).expect(200);
      expect(current.body.firstResponseAt).toEqual(expect.any(String));

      const asRequester = await http()
        .get(`/api/v1/tickets/${ticket.id}/comments`)
        .set(requester.auth)
        .expect(200);
      expect(asRequester.body.data.map((c: { body: string }) => c.body)).toEqual([
        'Any news?',
        'On my way',
      ]);
      const asAgent = await http()
        .get(`/api/v1/tickets/${ticket.id}/comments`)
        .set(agent.auth)
        .expect(200);
      expect(asAgent.body.pagination.total).toBe(3);
      const events = (await service.outbox('ticket.comment_added')).filter(
        (row) => row.envelope.aggregateId === ticket.id,
      );
      expect(
        events.map((row) => [row.envelope.payload.internal, row.envelope.payload.firstResponse]),
      ).toEqual([
        [false, false],
        [true, false],
        [false, true],
      ]);
    });

    it('is 404 on a ticket the caller may not see', async () => {
      const ticket = (await create(requester).expect(201)).body;
      const other = await acme.member('requester');
      await http().get(`/api/v1/tickets/${ticket.id}/comments`).set(other.auth).expect(404);
      await http()
        .post(`/api/v1/tickets/${ticket.id}/comments`)
        .set(other.auth)
        .send({ body: 'Hi' })
        .expect(404);
    });
  });

  describe('events', () => {
    it('publishes ticket.created and ticket.status_changed once each, with what consumers need', async () => {
      const ticket = (await create(requester, { title: 'Event ticket' }).expect(201)).body;
      await http()
        .patch(`/api/v1/tickets/${ticket.id}`)
        .set(agent.auth)
        .send({ status: 'in_progress', title: 'Event ticket!' })
        .expect(200);
      const rows = (await service.outbox()).filter((row) => row.envelope.aggregateId === ticket.id);
      expect(rows.map((row) => row.eventType)).toEqual([
        'ticket.created',
        'ticket.updated',
        'ticket.status_changed',
      ]);
      expect(rows[0]?.envelope).toMatchObject({
        tenantId: acme.id,
        aggregateVersion: 1,
        payload: {
          ticketId: ticket.id,
          number: ticket.number,
          title: 'Event ticket',
          requesterId: requester.id,
          status: 'open',
        },
        metadata: { actorType: 'user', actorId: requester.id },
      });
      expect(rows[1]?.envelope.payload.changes).toEqual({
        title: { from: 'Event ticket', to: 'Event ticket!' },
      });
      expect(rows[2]?.envelope.payload).toMatchObject({
        from: 'open',
        to: 'in_progress',
        requesterId: requester.id,
      });
    });
  });
});
