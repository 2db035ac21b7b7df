import { EventsHandler, type IEventHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { OrganizationCreated } from '@helpdesk/contracts';
import { withTransaction } from '@helpdesk/database';
import { assertOrganizationEvent, jsonb } from './replica-rows';

/**
 * A new organization: its name, business hours and time zone, for the SLA
 * clocks. A duplicate (the row exists) changes nothing.
 */
@EventsHandler(OrganizationCreated)
export class OrganizationCreatedHandler implements IEventHandler<OrganizationCreated> {
  constructor(private readonly dataSource: DataSource) {}

  async handle(event: OrganizationCreated): Promise<void> {
    assertOrganizationEvent(event, event.payload.organizationId);
    const { name, businessHours, timezone } = event.payload;
    await withTransaction(this.dataSource, (manager) =>
      manager.query(
        `INSERT INTO directory_organization (id, name, business_hours, timezone, version)
         VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (id) DO NOTHING`,
        [event.tenantId, name, jsonb(businessHours), timezone, event.aggregateVersion],
      ),
    );
  }
}
