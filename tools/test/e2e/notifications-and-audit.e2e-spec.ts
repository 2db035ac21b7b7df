import { eventually } from '@helpdesk/testing';
import { PASSWORD, startPlatform, type CaughtEmail, type Platform } from './platform';

const WEB_URL = 'http://web.helpdesk.test';
const SLOW = { timeoutMs: 60_000, intervalMs: 300 };

/**
 * The consumers that prove the architecture (issue "audit-service and
 * notification-service"): every event recorded once, every person told once,
 * also across an SMTP outage and a consumer that was down.
 */
describe('end to end: audit trail and e-mail through the whole platform', () => {
  let platform: Platform;
  const gateway = () => platform.gateway;
  const bearer = (tokens: { accessToken: string }) => ({
    Authorization: `Bearer ${tokens.accessToken}`,
  });

  let slug: string;
  let admin: { accessToken: string; user: { id: string }; organization: { id: string } };
  let agent: { accessToken: string; id: string; email: string };
  let requester: { accessToken: string; id: string; email: string };

  const mailTo = (emails: CaughtEmail[], address: string) =>
    emails.filter((email) =>
      email.to.some((to) => to.address.toLowerCase() === address.toLowerCase()),
    );
  const linkToken = (email: CaughtEmail, route: string) => {
    const match = new RegExp(
      `${WEB_URL.replace(/\./g, '\\.')}/${route}\\?token=([A-Za-z0-9_\\-.~]+)`,
    ).exec(email.text ?? email.html ?? '');
    if (!match?.[1]) throw new Error(`no ${route} link in "${email.subject}"`);
    return match[1];
  };

  beforeAll(async () => {
    platform = await startPlatform(
      ['user-service', 'ticket-service', 'audit-service', 'notification-service'],
      {
        'notification-service': {
          EMAIL_RETRY_DELAYS_MS: '2000,4000,8000,15000,15000,15000,15000,15000',
        },
      },
      { apiRate: '2000r/s', apiBurst: 2000, authRate: '600r/m', authBurst: 100 },
    );

    slug = `e2e-mail-${Date.now()}`;
    admin = (
      await gateway()
        .post('/api/v1/auth/signup')
        .send({
          organizationName: 'Mail Inc',
          organizationSlug: slug,
          name: 'Ada Admin',
          email: `ada@${slug}.test`,
          password: PASSWORD,
        })
        .expect(201)
    ).body;
    await gateway()
      .patch('/api/v1/organization')
      .set(bearer(admin))
      .send({ allowSelfRegistration: true })
      .expect(200);

    // The agent is invited by e-mail and sets a password through the link.
    const invited = (
      await gateway()
        .post('/api/v1/users')
        .set(bearer(admin))
        .send({ email: `alan@${slug}.test`, name: 'Alan Agent', role: 'agent' })
        .expect(201)
    ).body;
    const invitation = await eventually(async () => {
      const [email] = mailTo(await platform.mail.emails(), `alan@${slug}.test`);
      expect(email).toBeDefined();
      return email as CaughtEmail;
    }, SLOW);
    await gateway()
      .post('/api/v1/auth/reset-password')
      .send({ token: linkToken(invitation, 'accept-invite'), newPassword: PASSWORD })
      .expect(204);
    const agentLogin = (
      await gateway()
        .post('/api/v1/auth/login')
        .send({ organizationSlug: slug, email: `alan@${slug}.test`, password: PASSWORD })
        .expect(200)
    ).body;
    agent = { accessToken: agentLogin.accessToken, id: invited.id, email: `alan@${slug}.test` };

    const registered = (
      await gateway()
        .post('/api/v1/auth/register')
        .send({
          organizationSlug: slug,
          name: 'Rita Requester',
          email: `rita@${slug}.test`,
          password: PASSWORD,
        })
        .expect(201)
    ).body;
    requester = {
      accessToken: registered.accessToken,
      id: registered.user.id,
      email: `rita@${slug}.test`,
    };
  }, 240_000);

  afterAll(() => platform?.close());

  it('records each step of a ticket once, in order, and mails exactly the right people', async () => {
    const ticket = (
      await gateway()
        .post('/api/v1/tickets')
        .set(bearer(requester))
        .send({ title: 'Printer jam on floor 3', description: 'Paper everywhere' })
        .expect(201)
    ).body;
    // The agent must be in ticket-service's replica before the assignment (events travel).
    await eventually(
      () =>
        gateway()
          .patch(`/api/v1/tickets/${ticket.id}/assign`)
          .set(bearer(admin))
          .send({ assigneeId: agent.id })
          .expect(200),
      SLOW,
    );
    await gateway()
      .post(`/api/v1/tickets/${ticket.id}/comments`)
      .set(bearer(agent))
      .send({ body: 'Clearing the jam now' })
      .expect(201);
    await gateway()
      .post(`/api/v1/tickets/${ticket.id}/comments`)
      .set(bearer(agent))
      .send({ body: 'SECRET-NOTE requester is impatient', internal: true })
      .expect(201);
    await gateway()
      .patch(`/api/v1/tickets/${ticket.id}`)
      .set(bearer(agent))
      .send({ status: 'resolved' })
      .expect(200);

    const trail = await eventually(async () => {
      const answer = await gateway()
        .get(`/api/v1/audit/entity/ticket/${ticket.id}`)
        .set(bearer(admin))
        .expect(200);
      // The page and its total are read side by side; wait until both show all five.
      expect(answer.body.pagination.total).toBe(5);
      expect(answer.body.data).toHaveLength(5);
      return answer.body.data as { eventType: string; eventId: string; actorId: string }[];
    }, SLOW);
    expect(trail.map((entry) => entry.eventType)).toEqual([
      'ticket.created',
      'ticket.assigned',
      'ticket.comment_added',
      'ticket.comment_added',
      'ticket.status_changed',
    ]);
    expect(new Set(trail.map((entry) => entry.eventId)).size).toBe(5);
    expect(trail[0]?.actorId).toBe(requester.id);

    const aboutTicket = (emails: CaughtEmail[]) =>
      emails.filter((email) =>
        `${email.subject} ${email.text ?? ''}`.includes('Printer jam on floor 3'),
      );
    const expected = { [agent.email]: 2, [requester.email]: 3 }; // agent: new ticket, assigned; requester: receipt, public reply, resolved
    await eventually(async () => {
      const emails = aboutTicket(await platform.mail.emails());
      expect(mailTo(emails, agent.email)).toHaveLength(expected[agent.email] as number);
      expect(mailTo(emails, requester.email)).toHaveLength(expected[requester.email] as number);
    }, SLOW);
    const emails = aboutTicket(await platform.mail.emails());
    expect(emails).toHaveLength(5);
    for (const email of emails)
      expect(email.text ?? email.html).toContain(`${WEB_URL}/tickets/${ticket.id}`);
    for (const email of mailTo(await platform.mail.emails(), requester.email))
      expect(`${email.text}${email.html}`).not.toContain('SECRET-NOTE');
  }, 120_000);

  it('mails a reset link that works once', async () => {
    await gateway()
      .post('/api/v1/auth/forgot-password')
      .send({ organizationSlug: slug, email: requester.email })
      .expect(202);
    const reset = await eventually(async () => {
      const email = mailTo(await platform.mail.emails(), requester.email).find((candidate) =>
        /reset-password\?token=/.test(candidate.text ?? ''),
      );
      expect(email).toBeDefined();
      return email as CaughtEmail;
    }, SLOW);
    const token = linkToken(reset, 'reset-password');
    await gateway()
      .post('/api/v1/auth/reset-password')
      .send({ token, newPassword: 'a whole new passphrase' })
      .expect(204);
    await gateway()
      .post('/api/v1/auth/reset-password')
      .send({ token, newPassword: 'another new passphrase' })
      .expect(400);
    requester.accessToken = (
      await gateway()
        .post('/api/v1/auth/login')
        .send({
          organizationSlug: slug,
          email: requester.email,
          password: 'a whole new passphrase',
        })
        .expect(200)
    ).body.accessToken;
  }, 90_000);

  it('keeps taking tickets while the SMTP server is down, and mails them once it is back, none twice', async () => {
    await platform.mail.stop();
    const started = Date.now();
    for (let index = 0; index < 3; index += 1)
      await gateway()
        .post('/api/v1/tickets')
        .set(bearer(requester))
        .send({ title: `Outage ticket ${index}`, description: 'd' })
        .expect(201);
    expect(Date.now() - started).toBeLessThan(10_000);
    // Down for 30 s, as an SMTP relay restart might be.
    await new Promise((resolve) =>
      setTimeout(resolve, Math.max(0, 30_000 - (Date.now() - started))),
    );
    await platform.mail.start();
    const receipts = async () =>
      mailTo(await platform.mail.emails(), requester.email).filter((email) =>
        /Outage ticket \d/.test(email.subject + (email.text ?? '')),
      );
    await eventually(async () => expect(await receipts()).toHaveLength(3), SLOW);
    const subjects = (await receipts()).map((email) => email.subject);
    expect(new Set(subjects).size).toBe(3);
  }, 150_000);

  it('catches up after notification-service and audit-service were down: all 200 receipts and entries, none twice', async () => {
    await platform.app('notification-service').stop();
    await platform.app('audit-service').stop();
    const titles = Array.from({ length: 200 }, (_, index) => `Catch-up ticket ${index + 1}`);
    for (let offset = 0; offset < titles.length; offset += 10)
      await Promise.all(
        titles
          .slice(offset, offset + 10)
          .map((title) =>
            gateway()
              .post('/api/v1/tickets')
              .set(bearer(requester))
              .send({ title, description: 'while consumers were down' })
              .expect(201),
          ),
      );
    await platform.app('notification-service').start();
    await platform.app('audit-service').start();

    const receipts = async () =>
      mailTo(await platform.mail.emails(), requester.email).filter((email) =>
        /Catch-up ticket \d+\b/.test(email.subject + (email.text ?? '')),
      );
    await eventually(async () => expect(await receipts()).toHaveLength(200), {
      timeoutMs: 120_000,
      intervalMs: 1_000,
    });
    const created = await eventually(
      async () => {
        const answer = await gateway()
          .get('/api/v1/audit/search?eventType=ticket.created&limit=100')
          .set(bearer(admin))
          .expect(200);
        // 200 now + the ones of the earlier tests (1 + 3).
        expect(answer.body.pagination.total).toBe(204);
        return answer.body.pagination.total as number;
      },
      { timeoutMs: 120_000, intervalMs: 1_000 },
    );
    expect(created).toBe(204);
    const receiptTitles = (await receipts()).map(
      (email) => /Catch-up ticket (\d+)\b/.exec(email.subject + (email.text ?? ''))?.[1],
    );
    expect(new Set(receiptTitles).size).toBe(200);
  }, 300_000);

  it('never shows one organization’s audit entries or e-mails to another', async () => {
    const other = (
      await gateway()
        .post('/api/v1/auth/signup')
        .send({
          organizationName: 'Other',
          organizationSlug: `${slug}-other`,
          name: 'Otto',
          email: `otto@${slug}-other.test`,
          password: PASSWORD,
        })
        .expect(201)
    ).body;
    const [entry] = (
      await gateway().get('/api/v1/audit/search?limit=1').set(bearer(admin)).expect(200)
    ).body.data;
    await gateway().get(`/api/v1/audit/${entry.id}`).set(bearer(other)).expect(404);
    await gateway()
      .get(`/api/v1/audit/entity/${entry.entityType}/${entry.entityId}`)
      .set(bearer(other))
      .expect(404);
    const [email] = (
      await gateway().get('/api/v1/notifications/emails?limit=1').set(bearer(admin)).expect(200)
    ).body.data;
    await gateway().get(`/api/v1/notifications/emails/${email.id}`).set(bearer(admin)).expect(200);
    await gateway().get(`/api/v1/notifications/emails/${email.id}`).set(bearer(other)).expect(404);
  }, 60_000);
});
