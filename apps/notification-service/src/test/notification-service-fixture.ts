import { randomUUID } from 'node:crypto';
import { connect, type ChannelModel, type ConfirmChannel } from 'amqplib';
import type { Role } from '@helpdesk/contracts';
import { databaseUrlEnvVar, migrateServiceDatabase } from '@helpdesk/database';
import { EventConsumer } from '@helpdesk/messaging';
import {
  eventually,
  startService,
  type FakeIdentityProvider,
  type StartedService,
} from '@helpdesk/testing';
import { AppModule, databaseServiceOptions, httpAppOptions } from '../app.module';
import { MailSink } from './mail-sink';

export interface Member {
  id: string;
  organizationId: string;
  role: Role;
  email: string;
  name: string;
  token: string;
  /** `{ Authorization: 'Bearer …' }` */
  auth: { Authorization: string };
}

export interface Organization {
  id: string;
  name: string;
  admin: Member;
  member(
    role: Role,
    options?: { departmentId?: string | null; active?: boolean; name?: string },
  ): Promise<Member>;
  department(name?: string): Promise<string>;
}

export interface EmailRow {
  id: string;
  to: string;
  template: string;
  subject: string;
  status: string;
  attempts: number;
  last_error: string | null;
  recipient_user_id: string | null;
  event_id: string | null;
}

export interface NotificationServiceFixture extends Omit<StartedService, 'outbox'> {
  identity: FakeIdentityProvider;
  mail: MailSink;
  /** A new organization in the directory replica, with an admin. */
  organization(): Promise<Organization>;
  /** Waits until the consumer's inbox has the event (handled, committed). */
  handled(eventId: string): Promise<void>;
  emails(where?: string, parameters?: unknown[]): Promise<EmailRow[]>;
  /** Envelopes this service wrote to its outbox. */
  outbox(eventType?: string): Promise<{ eventType: string; payload: Record<string, unknown> }[]>;
}

/** notification-service as production wires it: own database, vhost, identity provider and SMTP server. */
export async function startNotificationService(
  env: Record<string, string> = {},
): Promise<NotificationServiceFixture> {
  const mail = await MailSink.start();
  let broker: ChannelModel | undefined;
  let channel: ConfirmChannel | undefined;
  const service = await startService({
    rootModule: AppModule,
    http: httpAppOptions,
    databaseUrlVariable: databaseUrlEnvVar(databaseServiceOptions.serviceName),
    migrate: (appEnv) => migrateServiceDatabase({ ...databaseServiceOptions, env: appEnv }),
    prefix: 'notification',
    identity: true,
    env: {
      SMTP_URL: mail.smtpUrl,
      WEB_URL: 'http://web.test',
      EMAIL_SENDER_POLL_MS: '100',
      EMAIL_RETRY_DELAYS_MS: '300,600,1500',
      ...env,
    },
    // Somebody (audit, in production) listens on notification.events: the relay's messages are routable.
    beforeStart: async ({ vhost }) => {
      broker = await connect(vhost.url);
      channel = await broker.createConfirmChannel();
      await channel.assertExchange('notification.events', 'topic', { durable: true });
      const { queue } = await channel.assertQueue('', { exclusive: true });
      await channel.bindQueue(queue, 'notification.events', '#');
    },
  });
  const { dataSource } = service;
  const identity = service.identity as FakeIdentityProvider;
  const confirms = channel as ConfirmChannel;
  const consumer = service.app.get(EventConsumer);
  await eventually(async () => {
    expect(consumer.status().connected).toBe(true);
    const { consumerCount } = await confirms.checkQueue(consumer.status().queue);
    expect(consumerCount).toBeGreaterThan(0);
  });

  const addUser = async (
    organizationId: string,
    role: Role,
    options: { departmentId?: string | null; active?: boolean; name?: string } = {},
  ): Promise<Member> => {
    const id = randomUUID();
    const email = `${role}-${id.slice(0, 8)}@example.test`;
    const name = options.name ?? `${role} ${id.slice(0, 4)}`;
    await dataSource.query(
      `INSERT INTO directory_user (id, tenant_id, email, name, role, department_id, active, version)
       VALUES ($1, $2, $3, $4, $5, $6, $7, 1)`,
      [id, organizationId, email, name, role, options.departmentId ?? null, options.active ?? true],
    );
    const token = identity.token({ id, organizationId, role });
    return {
      id,
      organizationId,
      role,
      email,
      name,
      token,
      auth: { Authorization: `Bearer ${token}` },
    };
  };

  const organization: NotificationServiceFixture['organization'] = async () => {
    const id = randomUUID();
    const name = `Org ${id.slice(0, 6)}`;
    await dataSource.query(
      `INSERT INTO directory_organization (id, name, business_hours, timezone, version) VALUES ($1, $2, NULL, 'UTC', 1)`,
      [id, name],
    );
    return {
      id,
      name,
      admin: await addUser(id, 'admin'),
      member: (role, options) => addUser(id, role, options),
      department: async (departmentName = `Dept ${randomUUID().slice(0, 4)}`) => {
        const departmentId = randomUUID();
        await dataSource.query(
          'INSERT INTO directory_department (id, tenant_id, name, version) VALUES ($1, $2, $3, 1)',
          [departmentId, id, departmentName],
        );
        return departmentId;
      },
    };
  };

  const handled: NotificationServiceFixture['handled'] = async (eventId) => {
    await eventually(async () => {
      const rows = await dataSource.query('SELECT 1 FROM inbox WHERE event_id = $1', [eventId]);
      expect(rows).toHaveLength(1);
    });
  };

  const emails: NotificationServiceFixture['emails'] = (where = 'true', parameters = []) =>
    dataSource.query(
      `SELECT id, "to", template, subject, status, attempts, last_error, recipient_user_id, event_id
         FROM email WHERE ${where} ORDER BY created_at, "to"`,
      parameters,
    );

  const outbox: NotificationServiceFixture['outbox'] = async (eventType) =>
    (await service.outbox(eventType)).map((row) => ({
      eventType: row.eventType,
      payload: row.envelope.payload as Record<string, unknown>,
    }));

  return {
    ...service,
    identity,
    mail,
    organization,
    handled,
    emails,
    outbox,
    close: async () => {
      await broker?.close().catch(() => undefined);
      await service.close();
      await mail.stop();
    },
  };
}
