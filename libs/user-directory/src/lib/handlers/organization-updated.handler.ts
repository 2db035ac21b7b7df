import { EventsHandler, type IEventHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { OrganizationUpdated } from '@helpdesk/contracts';
import { withTransaction } from '@helpdesk/database';
import { assertOrganizationEvent, jsonb, ReplicaRowMissingError, SetClause } from './replica-rows';

/**
 * Applies the new values (`changes.*.to`) of what the replica keeps: name,
 * business hours, time zone (slug and self-registration are not needed
 * here). Older or duplicate events are skipped by version; one that arrives
 * before the organization's creation is retried.
 */
@EventsHandler(OrganizationUpdated)
export class OrganizationUpdatedHandler implements IEventHandler<OrganizationUpdated> {
  constructor(private readonly dataSource: DataSource) {}

  async handle(event: OrganizationUpdated): Promise<void> {
    assertOrganizationEvent(event, event.payload.organizationId);
    const { changes } = event.payload;
    await withTransaction(this.dataSource, async (manager) => {
      const [row] = await manager.query(
        'SELECT version FROM directory_organization WHERE id = $1 FOR UPDATE',
        [event.tenantId],
      );
      if (!row) throw new ReplicaRowMissingError(event);
      if (row.version >= event.aggregateVersion) return;
      const clause = new SetClause([event.tenantId]).set('version', event.aggregateVersion);
      if (changes.name) clause.set('name', changes.name.to);
      if (changes.businessHours) clause.set('business_hours', jsonb(changes.businessHours.to));
      if (changes.timezone) clause.set('timezone', changes.timezone.to);
      await manager.query(
        `UPDATE directory_organization SET ${clause} WHERE id = $1`,
        clause.values,
      );
    });
  }
}
