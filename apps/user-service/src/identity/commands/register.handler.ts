import { CommandHandler, EventBus, type ICommandHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { PostgresErrorCode, postgresErrorCode, withTransaction } from '@helpdesk/database';
import { ProblemException } from '@helpdesk/http';
import { passwordProblem } from '../../domain/password-policy';
import { User } from '../../domain/user';
import { OrganizationSchema, UserSchema } from '../../persistence/schemas';
import { toOrganizationView } from '../../organization/organization.view';
import { toUserView } from '../../users/user.view';
import type { RegisterBody, SignUpView } from '../auth.dto';
import type { ClientInfo } from '../client-info';
import { weakPassword } from '../identity-problems';
import { PasswordHasher } from '../secrets';
import { SessionTokens } from '../session-tokens';
import { userCreated } from '../user-events';

export class RegisterCommand {
  constructor(
    readonly body: RegisterBody,
    readonly client: ClientInfo,
  ) {}
}

/** A requester joins an organization's portal, if the organization lets strangers in. */
@CommandHandler(RegisterCommand)
export class RegisterHandler implements ICommandHandler<RegisterCommand, SignUpView> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly eventBus: EventBus,
    private readonly hasher: PasswordHasher,
    private readonly sessions: SessionTokens,
  ) {}

  async execute({ body, client }: RegisterCommand): Promise<SignUpView> {
    const organization = await this.dataSource
      .getRepository(OrganizationSchema)
      .findOne({ where: { slug: body.organizationSlug } });
    // An unknown slug and a closed portal answer alike: registration is not open there.
    if (!organization || !organization.allowSelfRegistration)
      throw new ProblemException(403, 'This organization does not accept self-registration.');
    const problem = passwordProblem(body.password, body.email);
    if (problem) throw weakPassword('password', problem);
    const passwordHash = await this.hasher.hash(body.password);
    try {
      return await withTransaction(this.dataSource, async (manager) => {
        const user = User.create({
          tenantId: organization.id,
          email: body.email,
          name: body.name,
          role: 'requester',
          passwordHash,
        });
        await manager.getRepository(UserSchema).insert(user);
        await this.eventBus.publish(userCreated(user, 'registration'));
        const { tokens } = await this.sessions.open(user, client);
        return {
          user: toUserView(user),
          organization: toOrganizationView(organization),
          ...tokens,
        };
      });
    } catch (error) {
      if (postgresErrorCode(error) === PostgresErrorCode.uniqueViolation)
        throw new ProblemException(
          409,
          'An account with this e-mail already exists here; sign in instead.',
          {
            errors: [{ field: 'email', message: 'is already registered' }],
          },
        );
      throw error;
    }
  }
}
