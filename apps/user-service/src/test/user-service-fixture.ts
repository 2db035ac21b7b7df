import { randomUUID } from 'node:crypto';
import { databaseUrlEnvVar, migrateServiceDatabase } from '@helpdesk/database';
import { startService, type StartedService } from '@helpdesk/testing';
import { AppModule, databaseServiceOptions, httpAppOptions } from '../app.module';
import { EventCollector } from './event-collector';

export const PASSWORD = 'correct horse battery staple';

export interface SignedUp {
  accessToken: string;
  refreshToken: string;
  user: { id: string; organizationId: string; email: string; role: string };
  organization: { id: string; slug: string };
  slug: string;
  email: string;
}

export interface UserServiceFixture extends StartedService {
  /** Everything published to user.events, as a consuming service receives it. */
  events: EventCollector;
  /** A new organization and its admin, signed in. */
  signUp(
    overrides?: Partial<
      Record<'organizationName' | 'organizationSlug' | 'name' | 'email' | 'password', string>
    >,
  ): Promise<SignedUp>;
  /** Invites a user as `admin`, sets their password through the invitation link, signs them in. */
  addMember(admin: SignedUp, role: string, email?: string): Promise<SignedUp>;
}

/** user-service as production wires it, on a database and a RabbitMQ vhost of its own. */
export async function startUserService(
  env: Record<string, string> = {},
): Promise<UserServiceFixture> {
  let events: EventCollector | undefined;
  const service = await startService({
    rootModule: AppModule,
    http: httpAppOptions,
    databaseUrlVariable: databaseUrlEnvVar(databaseServiceOptions.serviceName),
    migrate: (appEnv) => migrateServiceDatabase({ ...databaseServiceOptions, env: appEnv }),
    prefix: 'user',
    env: { FORGOT_PASSWORD_MIN_RESPONSE_MS: '1', ...env },
    // Bound before the app starts: every event is routable and recorded.
    beforeStart: async ({ vhost }) => {
      events = await EventCollector.open(vhost.url);
    },
  });
  const collector = events as EventCollector;
  const { outbox } = service;

  const signUp: UserServiceFixture['signUp'] = async (overrides = {}) => {
    const slug = overrides.organizationSlug ?? `org-${randomUUID().slice(0, 8)}`;
    const email = overrides.email ?? `admin@${slug}.test`;
    const response = await service.http.post('/api/v1/auth/signup').send({
      organizationName: `Org ${slug}`,
      organizationSlug: slug,
      name: 'Ada Admin',
      email,
      password: PASSWORD,
      ...overrides,
    });
    if (response.status !== 201)
      throw new Error(`signup failed: ${response.status} ${JSON.stringify(response.body)}`);
    return { ...response.body, slug, email };
  };

  const addMember: UserServiceFixture['addMember'] = async (admin, role, email) => {
    const address = email ?? `${role}-${randomUUID().slice(0, 6)}@${admin.slug}.test`;
    const invited = await service.http
      .post('/api/v1/users')
      .set('Authorization', `Bearer ${admin.accessToken}`)
      .send({ email: address, name: `${role} person`, role });
    if (invited.status !== 201)
      throw new Error(`invite failed: ${invited.status} ${JSON.stringify(invited.body)}`);
    const invitation = (await outbox('user.invited')).find(
      (row) => row.envelope.payload.userId === invited.body.id,
    );
    if (!invitation) throw new Error('no user.invited event for the invited user');
    await service.http
      .post('/api/v1/auth/reset-password')
      .send({ token: invitation.envelope.payload.token, newPassword: PASSWORD })
      .expect(204);
    const login = await service.http
      .post('/api/v1/auth/login')
      .send({ organizationSlug: admin.slug, email: address, password: PASSWORD })
      .expect(200);
    return { ...login.body, organization: admin.organization, slug: admin.slug, email: address };
  };

  return {
    ...service,
    events: collector,
    signUp,
    addMember,
    close: async () => {
      await collector.close();
      await service.close();
    },
  };
}
