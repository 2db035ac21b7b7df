import { CommandHandler, EventBus, type ICommandHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import type { Actor } from '@helpdesk/auth';
import { OrganizationUpdated } from '@helpdesk/contracts';
import { PostgresErrorCode, postgresErrorCode, withTransaction } from '@helpdesk/database';
import { ProblemException } from '@helpdesk/http';
import { raise } from '@helpdesk/messaging';
import { eventActor } from '../../directory/event-actor';
import { hasChanges } from '@helpdesk/domain';
import type { BusinessHours } from '../../domain/organization';
import { OrganizationSchema } from '../../persistence/schemas';
import { organizationNotFound } from '../organization-problems';
import { toOrganizationView, type OrganizationView } from '../organization.view';
import type { BusinessHoursBody, UpdateOrganizationBody } from '../organization.dto';

export class UpdateOrganizationCommand {
  constructor(
    readonly actor: Actor,
    readonly body: UpdateOrganizationBody,
  ) {}
}

/** Plain data, weekdays in order: the same hours always store alike. */
function toBusinessHours(body: BusinessHoursBody | null): BusinessHours | null {
  if (!body) return null;
  return { weekdays: [...body.weekdays].sort((a, b) => a - b), start: body.start, end: body.end };
}

/** Compared field by field: jsonb hands the stored hours back with its own key order. */
function sameBusinessHours(a: BusinessHours | null, b: BusinessHours | null): boolean {
  if (a === null || b === null) return a === b;
  return a.start === b.start && a.end === b.end && a.weekdays.join() === b.weekdays.join();
}

/** The requested hours, or undefined when they are what the organization already has (no change). */
function requestedBusinessHours(
  current: BusinessHours | null,
  body: BusinessHoursBody | null | undefined,
): BusinessHours | null | undefined {
  if (body === undefined) return undefined;
  const requested = toBusinessHours(body);
  return sameBusinessHours(current, requested) ? undefined : requested;
}

/** An admin changes the organization's settings; `organization.updated` names what changed. */
@CommandHandler(UpdateOrganizationCommand)
export class UpdateOrganizationHandler implements ICommandHandler<
  UpdateOrganizationCommand,
  OrganizationView
> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly eventBus: EventBus,
  ) {}

  async execute({ actor, body }: UpdateOrganizationCommand): Promise<OrganizationView> {
    try {
      return await withTransaction(this.dataSource, async (manager) => {
        const organizations = manager.getRepository(OrganizationSchema);
        // The tenant is the organization itself: its id is the scope.
        const organization = await organizations.findOne({
          where: { id: actor.organizationId },
          lock: { mode: 'for_no_key_update' },
        });
        if (!organization) throw organizationNotFound();
        const changes = organization.update({
          name: body.name,
          slug: body.slug,
          allowSelfRegistration: body.allowSelfRegistration,
          businessHours: requestedBusinessHours(organization.businessHours, body.businessHours),
          timezone: body.timezone,
        });
        if (hasChanges(changes)) {
          await organizations.save(organization);
          await this.eventBus.publish(
            raise(OrganizationUpdated, {
              tenantId: organization.id,
              aggregateId: organization.id,
              aggregateVersion: organization.version,
              payload: { organizationId: organization.id, changes },
              actor: eventActor(actor),
            }),
          );
        }
        return toOrganizationView(organization);
      });
    } catch (error) {
      if (postgresErrorCode(error) === PostgresErrorCode.uniqueViolation)
        throw new ProblemException(409, `The organization slug "${body.slug}" is taken.`, {
          errors: [{ field: 'slug', message: 'is taken' }],
        });
      throw error;
    }
  }
}
