import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import type { Actor } from '@helpdesk/auth';
import { OrganizationSchema } from '../../persistence/schemas';
import { organizationNotFound } from '../organization-problems';
import { toOrganizationView, type OrganizationView } from '../organization.view';

export class GetOrganizationQuery {
  constructor(readonly actor: Actor) {}
}

/**
 * The caller's own organization. The organization is the tenant itself (it
 * has no tenant_id), so its scope is its id: always the actor's.
 */
@QueryHandler(GetOrganizationQuery)
export class GetOrganizationHandler implements IQueryHandler<
  GetOrganizationQuery,
  OrganizationView
> {
  constructor(private readonly dataSource: DataSource) {}

  async execute({ actor }: GetOrganizationQuery): Promise<OrganizationView> {
    const organization = await this.dataSource
      .getRepository(OrganizationSchema)
      .findOne({ where: { id: actor.organizationId } });
    if (!organization) throw organizationNotFound();
    return toOrganizationView(organization);
  }
}
