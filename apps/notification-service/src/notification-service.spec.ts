import { randomUUID } from 'node:crypto';
import { ServiceTokens } from '@helpdesk/auth';
import {
  TicketAssigned,
  TicketCommentAdded,
  TicketCreated,
  TicketSlaBreached,
  TicketStatusChanged,
  UserCreated,
  UserInvited,
  UserPasswordResetRequested,
} from '@helpdesk/contracts';
import { raise } from '@helpdesk/messaging';
import { eventually } from '@helpdesk/testing';
import {
  startNotificationService,
  type Member,
  type NotificationServiceFixture,
  type Organization,
} from './test/notification-service-fixture';

const TOKEN = 'tok_ABCdef0123456789-._~xyz';

describe('notification-service', () => {
  let service: NotificationServiceFixture;
  let org: Organization;
  let requester: Member;
  let agent: Member;

  beforeAll(async () => {
    service = await startNotificationService();
    org = await service.organization();
    requester = await org.member('requester');
    agent = await org.member('agent');
  });

  afterAll(async () => {
    await service?.close();
  });

  const as = (member: Member) => ({ actorId: member.id, actorType: 'user' as const });

  /** Publishes, waits until handled, then until every e-mail of the event is sent; returns those rows. */
  async function deliver(published: Parameters<NotificationServiceFixture['publish']>[0]) {
    await service.publish(published);
    await service.handled(published.eventId);
    return eventually(async () => {
      const rows = await service.emails('event_id = $1', [published.eventId]);
      for (const row of rows) expect(row.status).toBe('sent');
      return rows;
    });
  }

  async function received(address: string, count: number) {
    return eventually(async () => {
      const emails = await service.mail.emailsTo(address);
      expect(emails).toHaveLength(count);
      return emails;
    });
  }

  function ticketCreated(
    tenantId: string,
    input: { requesterId: string; departmentId?: string | null; title?: string; actor: Member },
  ) {
    const ticketId = randomUUID();
    return raise(TicketCreated, {
      tenantId,
      aggregateId: ticketId,
      aggregateVersion: 1,
      actor: as(input.actor),
      payload: {
        ticketId,
        number: 7,
        title: input.title ?? 'Printer on fire',
        description: 'It is <b>really</b> on fire',
        status: 'open',
        priority: 'high',
        tags: [],
        requesterId: input.requesterId,
        assigneeId: null,
        departmentId: input.departmentId ?? null,
        sla: { firstResponseDueAt: null, resolutionDueAt: null },
      },
    });
  }

  function comment(input: {
    author: Member;
    internal: boolean;
    assigneeId: string | null;
    ticketId?: string;
  }) {
    const ticketId = input.ticketId ?? randomUUID();
    return raise(TicketCommentAdded, {
      tenantId: org.id,
      aggregateId: ticketId,
      aggregateVersion: 3,
      actor: as(input.author),
      payload: {
        ticketId,
        number: 9,
        title: 'VPN down',
        commentId: randomUUID(),
        authorId: input.author.id,
        body: 'Did you try turning it off and on again?',
        internal: input.internal,
        requesterId: requester.id,
        assigneeId: input.assigneeId,
        firstResponse: false,
      },
    });
  }

  describe('account e-mails', () => {
    it('welcomes sign-ups and self-registrations, not invited users', async () => {
      const signupId = randomUUID();
      const signup = raise(UserCreated, {
        tenantId: org.id,
        aggregateId: signupId,
        aggregateVersion: 1,
        payload: {
          userId: signupId,
          email: `new-${signupId.slice(0, 8)}@example.test`,
          name: 'Nora New',
          role: 'admin',
          departmentId: null,
          active: true,
          source: 'signup',
        },
      });
      const rows = await deliver(signup);
      expect(rows).toMatchObject([{ template: 'welcome', to: signup.payload.email }]);
      const [mail] = await received(signup.payload.email, 1);
      expect(mail.subject).toBe(`Welcome to ${org.name}`);
      expect(mail.to).toEqual([{ address: signup.payload.email, name: 'Nora New' }]);
      expect(mail.from).toEqual([{ address: 'no-reply@helpdesk.local', name: 'Helpdesk' }]);
      expect(mail.text).toContain('Hello Nora New');

      const invitedId = randomUUID();
      const invited = raise(UserCreated, {
        tenantId: org.id,
        aggregateId: invitedId,
        aggregateVersion: 1,
        payload: {
          ...signup.payload,
          userId: invitedId,
          email: `inv-${invitedId.slice(0, 8)}@example.test`,
          source: 'invitation',
        },
      });
      await service.publish(invited);
      await service.handled(invited.eventId);
      expect(await service.emails('event_id = $1', [invited.eventId])).toEqual([]);
    });

    it('mails the invitation and the reset links, once even when the event comes twice', async () => {
      const userId = randomUUID();
      const address = `invitee-${userId.slice(0, 8)}@example.test`;
      const invited = raise(UserInvited, {
        tenantId: org.id,
        aggregateId: userId,
        aggregateVersion: 1,
        payload: {
          userId,
          email: address,
          name: 'Ivy Invitee',
          invitationId: randomUUID(),
          token: TOKEN,
          expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
        },
      });
      await deliver(invited);
      await service.publish(invited); // a redelivery
      const [invitation] = await received(address, 1);
      expect(invitation.subject).toBe(`You are invited to ${org.name}`);
      expect(invitation.html).toContain(`http://web.test/accept-invite?token=${TOKEN}`);
      expect(invitation.text).toContain(`http://web.test/accept-invite?token=${TOKEN}`);

      const reset = raise(UserPasswordResetRequested, {
        tenantId: org.id,
        aggregateId: userId,
        aggregateVersion: 2,
        payload: {
          userId,
          email: address,
          name: 'Ivy Invitee',
          resetRequestId: randomUUID(),
          token: TOKEN,
          expiresAt: new Date(Date.now() + 1_800_000).toISOString(),
        },
      });
      await deliver(reset);
      const mails = await received(address, 2);
      const resetMail = mails.find((mail) => mail.subject === 'Reset your password');
      expect(resetMail?.text).toContain(`http://web.test/reset-password?token=${TOKEN}`);
      // The one-time link does not stay in the database once delivered.
      const [{ html }] = await service.dataSource.query(
        'SELECT html FROM email WHERE event_id = $1',
        [reset.eventId],
      );
      expect(html).not.toContain(TOKEN);
      // One duplicate delivery later: still exactly one invitation.
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(await service.mail.emailsTo(address)).toHaveLength(2);
    });
  });

  describe('ticket e-mails', () => {
    it('tells the department’s agents of a new ticket, or all agents, and sends the requester a receipt', async () => {
      const other = await service.organization();
      const support = await other.department('Support');
      const empty = await other.department('Empty');
      const supportAgent = await other.member('agent', { departmentId: support });
      const salesAgent = await other.member('agent');
      await other.member('agent', { departmentId: support, active: false });
      const otherRequester = await other.member('requester');

      const toSupport = await deliver(
        ticketCreated(other.id, {
          requesterId: otherRequester.id,
          departmentId: support,
          actor: otherRequester,
        }),
      );
      expect(toSupport.map((row) => [row.template, row.to]).sort()).toEqual(
        [
          ['ticket-created', supportAgent.email],
          ['ticket-receipt', otherRequester.email],
        ].sort(),
      );
      const [agentMail] = await received(supportAgent.email, 1);
      expect(agentMail.subject).toBe('[#7] New ticket: Printer on fire');
      expect(agentMail.text).toMatch(/http:\/\/web\.test\/tickets\/[0-9a-f-]{36}/);
      expect(agentMail.html).toContain('It is &lt;b&gt;really&lt;/b&gt; on fire');
      const [receipt] = await received(otherRequester.email, 1);
      expect(receipt.subject).toBe('[#7] We received your request: Printer on fire');

      for (const departmentId of [null, empty]) {
        const rows = await deliver(
          ticketCreated(other.id, {
            requesterId: otherRequester.id,
            departmentId,
            actor: otherRequester,
          }),
        );
        expect(
          rows
            .filter((row) => row.template === 'ticket-created')
            .map((row) => row.to)
            .sort(),
        ).toEqual([supportAgent.email, salesAgent.email].sort());
      }
    });

    it('tells every agent in-app, and mails those who did not turn ticket mails off', async () => {
      const team = await service.organization();
      const agents = await Promise.all([1, 2, 3, 4].map(() => team.member('agent')));
      const requester = await team.member('requester');
      const quiet = agents[1] as (typeof agents)[number];
      await service.http
        .put('/api/v1/notifications/preferences')
        .set(quiet.auth)
        .send({
          email: {
            ticketCreated: false,
            ticketAssigned: true,
            ticketStatusChanged: true,
            commentAdded: true,
            slaBreached: true,
          },
        })
        .expect(200);

      const published = ticketCreated(team.id, {
        requesterId: requester.id,
        departmentId: null,
        actor: requester,
      });
      const rows = await deliver(published);

      expect(rows.map((row) => row.to).sort()).toEqual(
        [...agents.filter((agent) => agent !== quiet), requester].map((m) => m.email).sort(),
      );
      for (const agent of agents) {
        const inbox = await service.http.get('/api/v1/notifications').set(agent.auth).expect(200);
        expect(inbox.body.data).toMatchObject([{ type: 'ticket.created' }]);
      }
    });

    it('mails the new assignee, not on un-assignment, not when they assigned themselves', async () => {
      const ticketId = randomUUID();
      const assigned = (assigneeId: string | null, actor: Member, version: number) =>
        raise(TicketAssigned, {
          tenantId: org.id,
          aggregateId: ticketId,
          aggregateVersion: version,
          actor: as(actor),
          payload: {
            ticketId,
            number: 11,
            title: 'Laptop',
            previousAssigneeId: null,
            assigneeId,
            requesterId: requester.id,
            priority: 'normal',
          },
        });
      const assignee = await org.member('agent');
      expect(await deliver(assigned(assignee.id, org.admin, 2))).toMatchObject([
        { template: 'ticket-assigned', to: assignee.email, recipient_user_id: assignee.id },
      ]);
      const [mail] = await received(assignee.email, 1);
      expect(mail.subject).toBe('[#11] Assigned to you: Laptop');
      expect(mail.text).toContain(`http://web.test/tickets/${ticketId}`);
      expect(await deliver(assigned(null, org.admin, 3))).toEqual([]);
      expect(await deliver(assigned(assignee.id, assignee, 4))).toEqual([]);
    });

    it('tells the requester of a status change, unless they made it', async () => {
      const ticketId = randomUUID();
      const changed = (actor: Member) =>
        raise(TicketStatusChanged, {
          tenantId: org.id,
          aggregateId: ticketId,
          aggregateVersion: 2,
          actor: as(actor),
          payload: {
            ticketId,
            number: 12,
            title: 'Mouse',
            from: 'open',
            to: 'in_progress',
            requesterId: requester.id,
            assigneeId: agent.id,
            resolvedAt: null,
            closedAt: null,
          },
        });
      const rows = await deliver(changed(agent));
      expect(rows).toMatchObject([{ template: 'ticket-status-changed', to: requester.email }]);
      expect(rows[0].subject).toBe('[#12] Status changed to in progress: Mouse');
      expect(await deliver(changed(requester))).toEqual([]);
    });

    it('mails public comments to whoever did not write them, internal notes never to the requester', async () => {
      const colleague = await org.member('agent');
      const recipients = async (published: ReturnType<typeof comment>) =>
        (await deliver(published)).map((row) => row.to).sort();

      expect(
        await recipients(comment({ author: agent, internal: false, assigneeId: agent.id })),
      ).toEqual([requester.email]);
      expect(
        await recipients(comment({ author: requester, internal: false, assigneeId: agent.id })),
      ).toEqual([agent.email]);
      expect(
        await recipients(comment({ author: colleague, internal: false, assigneeId: agent.id })),
      ).toEqual([requester.email, agent.email].sort());
      expect(
        await recipients(comment({ author: colleague, internal: true, assigneeId: agent.id })),
      ).toEqual([agent.email]);
      expect(
        await recipients(comment({ author: agent, internal: true, assigneeId: agent.id })),
      ).toEqual([]);
      expect(
        await recipients(comment({ author: colleague, internal: true, assigneeId: null })),
      ).toEqual([]);
      const internal = await service.emails(`template = 'comment-added' AND "to" = $1`, [
        requester.email,
      ]);
      expect(internal.every((row) => !row.subject.includes('internal note'))).toBe(true);
    });

    it('tells the assignee and the managers of an SLA breach; inactive users get nothing', async () => {
      const managers = [await org.member('manager'), await org.member('manager')];
      await org.member('manager', { active: false });
      const ticketId = randomUUID();
      const rows = await deliver(
        raise(TicketSlaBreached, {
          tenantId: org.id,
          aggregateId: ticketId,
          aggregateVersion: 5,
          actor: { actorId: null, actorType: 'system' },
          payload: {
            ticketId,
            number: 13,
            title: 'Server down',
            target: 'first_response',
            dueAt: new Date().toISOString(),
            priority: 'urgent',
            requesterId: requester.id,
            assigneeId: agent.id,
            departmentId: null,
          },
        }),
      );
      expect(rows.map((row) => row.to).sort()).toEqual(
        [agent.email, ...managers.map((m) => m.email)].sort(),
      );
      expect(rows[0].subject).toBe('[#13] SLA breached (first response): Server down');
    });

    it('strips header injection from subjects and escapes HTML in titles', async () => {
      const victim = await org.member('requester');
      const title = 'Hi\r\nBcc: evil@x.test\r\nX-Evil: 1 <script>alert(1)</script>';
      await deliver(ticketCreated(org.id, { requesterId: victim.id, title, actor: victim }));
      const [mail] = await received(victim.email, 1);
      expect(mail.subject).toBe(
        '[#7] We received your request: Hi Bcc: evil@x.test X-Evil: 1 <script>alert(1)</script>',
      );
      const source = await service.mail.source(mail.id);
      const headers = source.slice(0, source.indexOf('\r\n\r\n'));
      expect(headers).not.toMatch(/^bcc:/im);
      expect(headers).not.toMatch(/^x-evil:/im);
      expect(mail.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
      expect(mail.html).not.toContain('<script>');
      expect(await service.mail.emailsTo('evil@x.test')).toEqual([]);
    });
  });

  describe('preferences', () => {
    it('answers the defaults, validates a PUT and honours it', async () => {
      const member = await org.member('requester');
      const all = {
        ticketCreated: true,
        ticketAssigned: true,
        ticketStatusChanged: true,
        commentAdded: true,
        slaBreached: true,
      };
      await service.http
        .get('/api/v1/notifications/preferences')
        .set(member.auth)
        .expect(200, { email: all });

      const missing = await service.http
        .put('/api/v1/notifications/preferences')
        .set(member.auth)
        .send({ email: { ...all, slaBreached: undefined } })
        .expect(400);
      expect(missing.body.errors).toEqual([
        expect.objectContaining({ field: 'email.slaBreached' }),
      ]);
      const unknown = await service.http
        .put('/api/v1/notifications/preferences')
        .set(member.auth)
        .send({ email: { ...all, sms: true } })
        .expect(400);
      expect(unknown.body.errors).toEqual([expect.objectContaining({ field: 'email.sms' })]);
      await service.http
        .put('/api/v1/notifications/preferences')
        .set(member.auth)
        .send({ email: { ...all, commentAdded: 'no' } })
        .expect(400);
      await service.http
        .put('/api/v1/notifications/preferences')
        .set(member.auth)
        .send({})
        .expect(400);

      const off = { ...all, commentAdded: false };
      await service.http
        .put('/api/v1/notifications/preferences')
        .set(member.auth)
        .send({ email: off })
        .expect(200, { email: off });
      await service.http
        .get('/api/v1/notifications/preferences')
        .set(member.auth)
        .expect(200, { email: off });

      const ticketId = randomUUID();
      const published = raise(TicketCommentAdded, {
        tenantId: org.id,
        aggregateId: ticketId,
        aggregateVersion: 2,
        actor: as(agent),
        payload: {
          ticketId,
          number: 20,
          title: 'Quiet please',
          commentId: randomUUID(),
          authorId: agent.id,
          body: 'Noted',
          internal: false,
          requesterId: member.id,
          assigneeId: agent.id,
          firstResponse: true,
        },
      });
      expect(await deliver(published)).toEqual([]);
      // The in-app notification is still there.
      const list = await service.http.get('/api/v1/notifications').set(member.auth).expect(200);
      expect(list.body.data).toMatchObject([
        { type: 'ticket.comment_added', ticketId, read: false },
      ]);
    });
  });

  describe('in-app notifications', () => {
    it('lists the caller’s own, newest first, filters unread, marks read; someone else’s is 404', async () => {
      const member = await org.member('agent');
      const ids: string[] = [];
      for (const number of [1, 2, 3]) {
        const ticketId = randomUUID();
        ids.push(ticketId);
        await deliver(
          raise(TicketAssigned, {
            tenantId: org.id,
            aggregateId: ticketId,
            aggregateVersion: 2,
            actor: as(org.admin),
            payload: {
              ticketId,
              number,
              title: `Ticket ${number}`,
              previousAssigneeId: null,
              assigneeId: member.id,
              requesterId: requester.id,
              priority: 'low',
            },
          }),
        );
      }
      const list = await service.http
        .get('/api/v1/notifications?limit=2')
        .set(member.auth)
        .expect(200);
      expect(list.body.pagination).toEqual({
        page: 1,
        limit: 2,
        total: 3,
        totalPages: 2,
        hasNext: true,
        hasPrev: false,
      });
      expect(list.body.data.map((n: { ticketId: string }) => n.ticketId)).toEqual([ids[2], ids[1]]);
      const [newest] = list.body.data;
      expect(newest).toMatchObject({
        type: 'ticket.assigned',
        title: 'Ticket #3 assigned to you',
        body: 'Ticket 3',
      });

      await service.http
        .patch(`/api/v1/notifications/${newest.id}/read`)
        .set(requester.auth)
        .expect(404);
      await service.http
        .patch(`/api/v1/notifications/not-a-uuid/read`)
        .set(member.auth)
        .expect(404);
      await service.http
        .patch(`/api/v1/notifications/${newest.id}/read`)
        .set(member.auth)
        .expect(204);
      const unread = await service.http
        .get('/api/v1/notifications?unread=true')
        .set(member.auth)
        .expect(200);
      expect(unread.body.data.map((n: { ticketId: string }) => n.ticketId)).toEqual([
        ids[1],
        ids[0],
      ]);
      const read = await service.http
        .get('/api/v1/notifications?unread=false')
        .set(member.auth)
        .expect(200);
      expect(read.body.data).toMatchObject([{ id: newest.id, read: true }]);
      await service.http.get('/api/v1/notifications?unread=maybe').set(member.auth).expect(400);
      await service.http.get('/api/v1/notifications').expect(401);
    });
  });

  describe('admin e-mail log', () => {
    it('lists and shows the organization’s e-mails; another organization’s are 404; agents 403', async () => {
      const list = await service.http
        .get(
          `/api/v1/notifications/emails?to=${encodeURIComponent(requester.email.toUpperCase())}&status=sent`,
        )
        .set(org.admin.auth)
        .expect(200);
      expect(list.body.data.length).toBeGreaterThan(0);
      for (const item of list.body.data)
        expect(item).toMatchObject({ to: requester.email, status: 'sent' });
      const times = list.body.data.map((item: { createdAt: string }) => item.createdAt);
      expect([...times].sort().reverse()).toEqual(times);

      const [first] = list.body.data;
      const one = await service.http
        .get(`/api/v1/notifications/emails/${first.id}`)
        .set(org.admin.auth)
        .expect(200);
      expect(Object.keys(one.body).sort()).toEqual(
        [
          'id',
          'to',
          'template',
          'subject',
          'status',
          'attempts',
          'lastError',
          'sentAt',
          'createdAt',
        ].sort(),
      );
      expect(one.body).toMatchObject({
        id: first.id,
        status: 'sent',
        attempts: 1,
        lastError: null,
      });

      const stranger = await service.organization();
      await service.http
        .get(`/api/v1/notifications/emails/${first.id}`)
        .set(stranger.admin.auth)
        .expect(404);
      await service.http
        .get(`/api/v1/notifications/emails/${randomUUID()}`)
        .set(org.admin.auth)
        .expect(404);
      const strangerList = await service.http
        .get('/api/v1/notifications/emails')
        .set(stranger.admin.auth)
        .expect(200);
      expect(strangerList.body.data).toEqual([]);
      await service.http.get('/api/v1/notifications/emails').set(agent.auth).expect(403);
      await service.http
        .get('/api/v1/notifications/emails?template=nope')
        .set(org.admin.auth)
        .expect(400);
      const byTemplate = await service.http
        .get('/api/v1/notifications/emails?template=sla-breach')
        .set(org.admin.auth)
        .expect(200);
      expect(
        byTemplate.body.data.every((item: { template: string }) => item.template === 'sla-breach'),
      ).toBe(true);
    });
  });

  describe('internal endpoint', () => {
    it('queues once per idempotency key for a service token, refuses user tokens', async () => {
      const token = service.app.get(ServiceTokens).issue('notification-service');
      const body = {
        organizationId: org.id,
        to: 'partner@example.test',
        template: 'password-reset',
        data: { name: 'Pat', resetUrl: 'http://web.test/reset-password?token=abc' },
        idempotencyKey: `key-${randomUUID()}`,
      };
      const first = await service.http
        .post('/internal/notifications/email')
        .set({ Authorization: `Bearer ${token}` })
        .send(body)
        .expect(202);
      expect(first.body).toEqual({ id: expect.any(String) });
      const again = await service.http
        .post('/internal/notifications/email')
        .set({ Authorization: `Bearer ${token}` })
        .send(body)
        .expect(202);
      expect(again.body).toEqual(first.body);
      const [mail] = await received('partner@example.test', 1);
      expect(mail.text).toContain('http://web.test/reset-password?token=abc');

      await service.http
        .post('/internal/notifications/email')
        .set(org.admin.auth)
        .send(body)
        .expect(401);
      const bad = await service.http
        .post('/internal/notifications/email')
        .set({ Authorization: `Bearer ${token}` })
        .send({ ...body, template: 'nope', to: 'a@b\r\nBcc: x@y' })
        .expect(400);
      expect(bad.body.errors.map((error: { field: string }) => error.field).sort()).toEqual([
        'template',
        'to',
      ]);
    });
  });

  describe('when the SMTP server is down', () => {
    it('keeps the e-mails failed with their error, reports healthy, and sends each once when it is back', async () => {
      await service.mail.stop();
      const users = [await org.member('agent'), await org.member('agent')];
      const published = users.map((user) => {
        const ticketId = randomUUID();
        return raise(TicketAssigned, {
          tenantId: org.id,
          aggregateId: ticketId,
          aggregateVersion: 2,
          actor: as(org.admin),
          payload: {
            ticketId,
            number: 30,
            title: 'Outage',
            previousAssigneeId: null,
            assigneeId: user.id,
            requesterId: requester.id,
            priority: 'urgent',
          },
        });
      });
      for (const each of published) await service.publish(each);
      const failed = await eventually(
        async () => {
          const rows = await service.emails(`"to" = ANY($1)`, [users.map((user) => user.email)]);
          expect(rows).toHaveLength(2);
          for (const row of rows) {
            expect(row.status).toBe('failed');
            expect(row.attempts).toBeGreaterThanOrEqual(2);
            expect(row.last_error).toBeTruthy();
          }
          return rows;
        },
        { timeoutMs: 20_000 },
      );
      const shown = await service.http
        .get(`/api/v1/notifications/emails/${failed[0].id}`)
        .set(org.admin.auth)
        .expect(200);
      expect(shown.body.status).toBe('failed');
      expect(shown.body.lastError).toBeTruthy();
      const health = await service.http.get('/health').expect(200);
      expect(health.body.checks.smtp).toMatchObject({
        status: 'up',
        details: { reachable: false },
      });
      expect(await service.outbox('notification.email_failed')).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            payload: expect.objectContaining({
              emailId: failed[0].id,
              nextAttemptAt: expect.any(String),
            }),
          }),
        ]),
      );

      await service.mail.start();
      await eventually(
        async () => {
          const rows = await service.emails(`"to" = ANY($1)`, [users.map((user) => user.email)]);
          for (const row of rows) expect(row.status).toBe('sent');
        },
        { timeoutMs: 20_000 },
      );
      for (const user of users) await received(user.email, 1);
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      for (const user of users) expect(await service.mail.emailsTo(user.email)).toHaveLength(1);
      const sent = await service.outbox('notification.email_sent');
      expect(sent.filter((row) => row.payload['emailId'] === failed[0].id)).toHaveLength(1);
      await eventually(async () => {
        const after = await service.http.get('/health').expect(200);
        expect(after.body.checks.smtp.details.reachable).toBe(true);
      });
    });
  });

  it('answers /health with the database, outbox, consumer and SMTP checks', async () => {
    const health = await service.http.get('/health').expect(200);
    expect(Object.keys(health.body.checks).sort()).toEqual([
      'database',
      'events',
      'outbox',
      'smtp',
    ]);
  });
});
