import { CommandHandler, EventBus, type ICommandHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { OrganizationCreated } from '@helpdesk/contracts';
import { PostgresErrorCode, postgresErrorCode, withTransaction } from '@helpdesk/database';
import { ProblemException } from '@helpdesk/http';
import { raise } from '@helpdesk/messaging';
import { Organization } from '../../domain/organization';
import { passwordProblem } from '../../domain/password-policy';
import { User } from '../../domain/user';
import { OrganizationSchema, UserSchema } from '../../persistence/schemas';
import { toOrganizationView } from '../../organization/organization.view';
import { toUserView } from '../../users/user.view';
import type { SignUpBody, SignUpView } from '../auth.dto';
import type { ClientInfo } from '../client-info';
import { weakPassword } from '../identity-problems';
import { PasswordHasher } from '../secrets';
import { SessionTokens } from '../session-tokens';
import { userCreated } from '../user-events';

export class SignUpCommand {
  constructor(
    readonly body: SignUpBody,
    readonly client: ClientInfo,
  ) {}
}

/** Self-serve: a new organization, its first admin, and a signed-in session for them. */
@CommandHandler(SignUpCommand)
export class SignUpHandler implements ICommandHandler<SignUpCommand, SignUpView> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly eventBus: EventBus,
    private readonly hasher: PasswordHasher,
    private readonly sessions: SessionTokens,
  ) {}

  async execute({ body, client }: SignUpCommand): Promise<SignUpView> {
    const problem = passwordProblem(body.password, body.email);
    if (problem) throw weakPassword('password', problem);
    const passwordHash = await this.hasher.hash(body.password);
    try {
      return await withTransaction(this.dataSource, async (manager) => {
        const organization = Organization.create({
          name: body.organizationName,
          slug: body.organizationSlug,
        });
        await manager.getRepository(OrganizationSchema).insert(organization);
        const admin = User.create({
          tenantId: organization.id,
          email: body.email,
          name: body.name,
          role: 'admin',
          passwordHash,
        });
        await manager.getRepository(UserSchema).insert(admin);
        await this.eventBus.publishAll([
          raise(OrganizationCreated, {
            tenantId: organization.id,
            aggregateId: organization.id,
            aggregateVersion: organization.version,
            payload: {
              organizationId: organization.id,
              name: organization.name,
              slug: organization.slug,
              allowSelfRegistration: organization.allowSelfRegistration,
              businessHours: organization.businessHours,
              timezone: organization.timezone,
            },
            actor: { actorId: admin.id, actorType: 'user' },
          }),
          userCreated(admin, 'signup'),
        ]);
        const { tokens } = await this.sessions.open(admin, client);
        return {
          user: toUserView(admin),
          organization: toOrganizationView(organization),
          ...tokens,
        };
      });
    } catch (error) {
      if (postgresErrorCode(error) === PostgresErrorCode.uniqueViolation)
        throw new ProblemException(
          409,
          `The organization slug "${body.organizationSlug}" is taken.`,
          {
            errors: [{ field: 'organizationSlug', message: 'is taken' }],
          },
        );
      throw error;
    }
  }
}
