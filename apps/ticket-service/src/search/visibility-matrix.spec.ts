import {
  startTicketService,
  type Member,
  type TicketServiceFixture,
} from '../test/ticket-service-fixture';

/**
 * The permission leaks competitors have had (list vs detail vs search
 * disagreeing): every read path is asked the same questions, and must give
 * the same answers as the one visibility rule.
 */
describe('visibility on every read path', () => {
  let service: TicketServiceFixture;
  let alice: Member; // requester
  let bob: Member; // another requester, same organization
  let agent: Member;
  let outsider: Member; // admin of another organization
  const tickets: Record<string, { id: string }> = {};
  const http = () => service.http;
  const ids = (body: { data: { id: string; ticketId?: string }[] }) =>
    body.data.map((item) => item.id);

  beforeAll(async () => {
    service = await startTicketService();
    const acme = await service.organization();
    const globex = await service.organization();
    alice = await acme.member('requester');
    bob = await acme.member('requester');
    agent = await acme.member('agent');
    outsider = globex.admin;
    const open = async (who: Member, title: string) =>
      (
        await http()
          .post('/api/v1/tickets')
          .set(who.auth)
          .send({ title, description: `${title} zebra`, tags: ['zebra'] })
          .expect(201)
      ).body;
    tickets['alice'] = await open(alice, 'Alice printer');
    tickets['bob'] = await open(bob, 'Bob printer');
    tickets['globex'] = await open(outsider, 'Globex printer');
    const comment = (who: Member, ticket: { id: string }, body: string, internal = false) =>
      http()
        .post(`/api/v1/tickets/${ticket.id}/comments`)
        .set(who.auth)
        .send({ body, internal })
        .expect(201);
    await comment(alice, tickets['alice'], 'giraffe from alice');
    await comment(agent, tickets['alice'], 'giraffe internal note about alice', true);
    await comment(bob, tickets['bob'], 'giraffe from bob');
    await comment(outsider, tickets['globex'], 'giraffe at globex');
    await http()
      .patch(`/api/v1/tickets/${tickets['bob']?.id}/assign`)
      .set(agent.auth)
      .send({ assigneeId: agent.id })
      .expect(200);
  });
  afterAll(() => service?.close());

  const listQueries = [
    '',
    'status=open',
    'priority=normal',
    'assigneeId=none',
    `assigneeId=${'00000000-0000-4000-8000-000000000000'}`,
    'tag=zebra',
    'q=zebra',
    'sort=-priority',
    'sort=updatedAt',
  ];

  it.each(listQueries)(
    'GET /tickets?%s shows a requester only their own tickets',
    async (query) => {
      const answer = await http().get(`/api/v1/tickets?${query}`).set(alice.auth).expect(200);
      expect(ids(answer.body)).not.toContain(tickets['bob']?.id);
      expect(ids(answer.body)).not.toContain(tickets['globex']?.id);
      expect(
        answer.body.data.every(
          (ticket: { requesterId: string }) => ticket.requesterId === alice.id,
        ),
      ).toBe(true);
      // Not vacuous: her own ticket is there whenever the filter matches it.
      if (!query.startsWith('assigneeId=0'))
        expect(ids(answer.body)).toContain(tickets['alice']?.id);
    },
  );

  it('GET /tickets?requesterId=<bob> gives a requester nothing, not Bob’s tickets', async () => {
    const answer = await http()
      .get(`/api/v1/tickets?requesterId=${bob.id}`)
      .set(alice.auth)
      .expect(200);
    expect(answer.body.data).toEqual([]);
  });

  it('GET /tickets/:id, its comments and commenting are 404 for someone else’s ticket', async () => {
    for (const [who, ticket] of [
      [alice, tickets['bob']],
      [alice, tickets['globex']],
      [agent, tickets['globex']],
    ] as const) {
      await http().get(`/api/v1/tickets/${ticket?.id}`).set(who.auth).expect(404);
      await http().get(`/api/v1/tickets/${ticket?.id}/comments`).set(who.auth).expect(404);
      await http()
        .patch(`/api/v1/tickets/${ticket?.id}`)
        .set(who.auth)
        .send({ title: 'x' })
        .expect(404);
    }
  });

  it('comments: a requester never sees internal ones; staff do', async () => {
    const mine = await http()
      .get(`/api/v1/tickets/${tickets['alice']?.id}/comments`)
      .set(alice.auth)
      .expect(200);
    expect(mine.body.data.map((c: { body: string }) => c.body)).toEqual(['giraffe from alice']);
    const staff = await http()
      .get(`/api/v1/tickets/${tickets['alice']?.id}/comments`)
      .set(agent.auth)
      .expect(200);
    expect(staff.body.data).toHaveLength(2);
  });

  it('inbox is staff-only and the organization’s own', async () => {
    await http().get('/api/v1/tickets/inbox').set(alice.auth).expect(403);
    const inbox = await http().get('/api/v1/tickets/inbox').set(agent.auth).expect(200);
    expect(ids(inbox.body)).toEqual([tickets['bob']?.id]);
  });

  it('search/tickets finds only visible tickets, also through comments, never through internal ones', async () => {
    const zebra = await http().get('/api/v1/search/tickets?q=zebra').set(alice.auth).expect(200);
    expect(ids(zebra.body)).toEqual([tickets['alice']?.id]);
    expect(zebra.body.data[0].highlight).toContain('<mark>');
    // Through a comment: Alice matches her own public comment, not Bob's.
    const giraffe = await http()
      .get('/api/v1/search/tickets?q=giraffe')
      .set(alice.auth)
      .expect(200);
    expect(ids(giraffe.body)).toEqual([tickets['alice']?.id]);
    // Only the internal note says "internal": invisible to Alice, found for staff.
    const internal = await http()
      .get('/api/v1/search/tickets?q=internal')
      .set(alice.auth)
      .expect(200);
    expect(internal.body.data).toEqual([]);
    const staff = await http().get('/api/v1/search/tickets?q=internal').set(agent.auth).expect(200);
    expect(ids(staff.body)).toEqual([tickets['alice']?.id]);
    const everyone = await http().get('/api/v1/search/tickets?q=zebra').set(agent.auth).expect(200);
    expect(ids(everyone.body).sort()).toEqual([tickets['alice']?.id, tickets['bob']?.id].sort());
  });

  it('search/comments: own visible comments for requesters; internal for staff; never another organization', async () => {
    const mine = await http().get('/api/v1/search/comments?q=giraffe').set(alice.auth).expect(200);
    expect(mine.body.data.map((c: { body: string }) => c.body)).toEqual(['giraffe from alice']);
    expect(mine.body.data[0]).toMatchObject({
      ticketId: tickets['alice']?.id,
      highlight: expect.stringContaining('<mark>giraffe</mark>'),
    });
    const staff = await http().get('/api/v1/search/comments?q=giraffe').set(agent.auth).expect(200);
    expect(staff.body.data.map((c: { body: string }) => c.body).sort()).toEqual(
      ['giraffe from alice', 'giraffe from bob', 'giraffe internal note about alice'].sort(),
    );
    const outside = await http()
      .get('/api/v1/search/comments?q=giraffe')
      .set(outsider.auth)
      .expect(200);
    expect(outside.body.data.map((c: { body: string }) => c.body)).toEqual(['giraffe at globex']);
  });

  it('search totals count only what the caller may see — also on a page past the end', async () => {
    const total = async (who: Member, path: string) =>
      (await http().get(`/api/v1/search/${path}`).set(who.auth).expect(200)).body.pagination.total;
    for (const page of [1, 2, 50]) {
      expect(await total(alice, `tickets?q=printer&page=${page}`)).toBe(1);
      expect(await total(agent, `tickets?q=printer&page=${page}`)).toBe(2);
      expect(await total(outsider, `tickets?q=printer&page=${page}`)).toBe(1);
      // Through comments: Bob's public one and the internal note are not Alice's to count.
      expect(await total(alice, `tickets?q=giraffe&page=${page}`)).toBe(1);
      expect(await total(agent, `tickets?q=giraffe&page=${page}`)).toBe(2);
      expect(await total(alice, `tickets?q=internal&page=${page}`)).toBe(0);
      expect(await total(alice, `comments?q=giraffe&page=${page}`)).toBe(1);
      expect(await total(agent, `comments?q=giraffe&page=${page}`)).toBe(3);
      expect(await total(outsider, `comments?q=giraffe&page=${page}`)).toBe(1);
    }
    const past = await http()
      .get('/api/v1/search/tickets?q=printer&page=2')
      .set(alice.auth)
      .expect(200);
    expect(past.body.data).toEqual([]);
  });

  it('the database refuses a comment filed under another organization than its ticket’s', async () => {
    // Staff comment reads are scoped by comment.tenant_id alone: this is what makes that safe.
    const globexTicket = tickets['globex'] as { id: string; organizationId?: string };
    const acmeTenant = (tickets['alice'] as { organizationId?: string }).organizationId;

    await expect(
      service.dataSource.query(
        `INSERT INTO comment (id, tenant_id, ticket_id, author_id, body, internal, created_at)
         VALUES (gen_random_uuid(), $1, $2, $3, 'planted', false, now())`,
        [acmeTenant, globexTicket.id, agent.id],
      ),
    ).rejects.toThrow(/fk_comment_ticket_tenant/);
  });

  it('highlights escape the ticket’s own markup: only <mark> is HTML', async () => {
    const ticket = (
      await http()
        .post('/api/v1/tickets')
        .set(alice.auth)
        .send({ title: 'okapi <script>alert(1)</script>', description: 'okapi & <b>bold</b>' })
        .expect(201)
    ).body;
    const found = await http().get('/api/v1/search/tickets?q=okapi').set(alice.auth).expect(200);
    const hit = found.body.data.find((item: { id: string }) => item.id === ticket.id);
    expect(hit.highlight).not.toContain('<script>');
    expect(hit.highlight).toContain('&lt;script&gt;');
    expect(hit.highlight).toContain('<mark>okapi</mark>');
    expect(hit.title).toBe('okapi <script>alert(1)</script>');
  });

  it('search validates q', async () => {
    await http().get('/api/v1/search/tickets').set(alice.auth).expect(400);
    await http()
      .get(`/api/v1/search/tickets?q=${'a'.repeat(201)}`)
      .set(alice.auth)
      .expect(400);
  });
});
