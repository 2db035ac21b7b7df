import { Injectable } from '@nestjs/common';
import { CommandBus, EventBus } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { DepartmentCreated, OrganizationUpdated, type Role } from '@helpdesk/contracts';
import { withTransaction } from '@helpdesk/database';
import { raise } from '@helpdesk/messaging';
import { Department } from '../domain/department';
import { User } from '../domain/user';
import { SignUpCommand } from '../identity/commands/sign-up.handler';
import { PasswordHasher } from '../identity/secrets';
import { userCreated } from '../identity/user-events';
import { DepartmentSchema, OrganizationSchema, UserSchema } from '../persistence/schemas';

export const DEMO_SLUG = 'demo';

/** Demo logins: known on purpose, for a local demo only (npm start prints them). */
const DEMO_PASSWORD = process.env['DEMO_PASSWORD'] || 'helpdesk-demo-password';
const PEOPLE: { email: string; name: string; role: Role }[] = [
  { email: 'admin@demo.helpdesk.test', name: 'Ada Admin', role: 'admin' },
  { email: 'agent1@demo.helpdesk.test', name: 'Alan Agent', role: 'agent' },
  { email: 'agent2@demo.helpdesk.test', name: 'Grace Agent', role: 'agent' },
  { email: 'requester@demo.helpdesk.test', name: 'Rita Requester', role: 'requester' },
];

/**
 * The demo organization `demo` with an admin, two agents (in "Support") and a
 * requester. Idempotent: whatever is already there is kept, what is missing
 * is added, through the same events a real sign-up and invitation raise.
 */
@Injectable()
export class DemoSeed {
  constructor(
    private readonly dataSource: DataSource,
    private readonly commands: CommandBus,
    private readonly eventBus: EventBus,
    private readonly hasher: PasswordHasher,
  ) {}

  async ensure(): Promise<string> {
    const [admin, ...others] = PEOPLE;
    if (!admin) throw new Error('no demo admin');
    const organizations = this.dataSource.getRepository(OrganizationSchema);
    if (!(await organizations.findOne({ where: { slug: DEMO_SLUG } })))
      await this.commands.execute(
        new SignUpCommand(
          {
            organizationName: 'Demo Company',
            organizationSlug: DEMO_SLUG,
            name: admin.name,
            email: admin.email,
            password: DEMO_PASSWORD,
          },
          { ip: null, userAgent: 'demo-seed' },
        ),
      );
    await withTransaction(this.dataSource, async (manager) => {
      const organization = await manager
        .getRepository(OrganizationSchema)
        .findOneOrFail({ where: { slug: DEMO_SLUG }, lock: { mode: 'pessimistic_write' } });
      const tenantId = organization.id;
      const changes = organization.update({
        allowSelfRegistration: true,
        timezone: 'Europe/Berlin',
      });
      if (Object.keys(changes).length > 0) {
        await manager.getRepository(OrganizationSchema).save(organization);
        await this.eventBus.publish(
          raise(OrganizationUpdated, {
            tenantId,
            aggregateId: tenantId,
            aggregateVersion: organization.version,
            payload: { organizationId: tenantId, changes },
          }),
        );
      }
      const departments = manager.getRepository(DepartmentSchema);
      let support = await departments.findOne({ where: { tenantId, name: 'Support' } });
      if (!support) {
        support = Department.create(tenantId, {
          name: 'Support',
          description: 'First-line support',
        });
        await departments.insert(support);
        await this.eventBus.publish(
          raise(DepartmentCreated, {
            tenantId,
            aggregateId: support.id,
            aggregateVersion: support.version,
            payload: {
              departmentId: support.id,
              name: support.name,
              description: support.description,
            },
          }),
        );
      }
      const users = manager.getRepository(UserSchema);
      for (const person of others) {
        if (await users.findOne({ where: { tenantId, email: person.email } })) continue;
        const user = User.create({
          tenantId,
          ...person,
          departmentId: person.role === 'agent' ? support.id : null,
          passwordHash: await this.hasher.hash(DEMO_PASSWORD),
        });
        await users.insert(user);
        // The seed acts as the system, as an admin's invitation would act as that admin.
        await this.eventBus.publish(userCreated(user, 'invitation', undefined));
      }
    });
    return [
      `Demo organization "${DEMO_SLUG}" — sign in with organizationSlug "${DEMO_SLUG}" and password "${DEMO_PASSWORD}":`,
      ...PEOPLE.map((person) => `  ${person.role.padEnd(9)} ${person.email}`),
    ].join('\n');
  }
}
