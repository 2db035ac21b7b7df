import { ApiProperty } from '@nestjs/swagger';
import type { ActorType } from '@helpdesk/contracts';
import type { Changes } from './audit-entry';

const ACTOR_TYPES = ['user', 'service', 'system'] as const;

/** An entry as API.md's Audit section names it, plus the redacted `payload`. */
export class AuditEntryView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) organizationId!: string;
  @ApiProperty({
    format: 'uuid',
    description: 'the integration event recorded; a generated uuid for entries logged by a service',
  })
  eventId!: string;
  @ApiProperty({ example: 'ticket.status_changed' }) eventType!: string;
  @ApiProperty({ example: 'ticket', description: 'the aggregate type of the event' })
  entityType!: string;
  @ApiProperty({
    description:
      'the aggregate id: usually a uuid; for a failed login of an unknown e-mail, the e-mail',
  })
  entityId!: string;
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'a user id, a service name, or null for the system',
  })
  actorId!: string | null;
  @ApiProperty({ enum: ACTOR_TYPES }) actorType!: ActorType;
  @ApiProperty({ example: 'status_changed', description: 'the event type after the dot' })
  action!: string;
  @ApiProperty({
    nullable: true,
    type: 'object',
    additionalProperties: true,
    example: { status: { from: 'open', to: 'in_progress' } },
    description: '`{ field: { from, to } }`, or null when the event changes no named field',
  })
  changes!: Changes | null;
  @ApiProperty({ nullable: true, type: String }) ip!: string | null;
  @ApiProperty({ nullable: true, type: String }) userAgent!: string | null;
  @ApiProperty({ nullable: true, type: String }) correlationId!: string | null;
  @ApiProperty({ format: 'date-time' }) occurredAt!: string;
  @ApiProperty({
    nullable: true,
    type: 'object',
    additionalProperties: true,
    description:
      'the event’s payload, one-time tokens replaced by "[redacted]"; null for logged entries',
  })
  payload!: unknown;
}

/** The CSV columns: the contract's fields, in its order. */
export const ENTRY_FIELDS = [
  'id',
  'organizationId',
  'eventId',
  'eventType',
  'entityType',
  'entityId',
  'actorId',
  'actorType',
  'action',
  'changes',
  'ip',
  'userAgent',
  'correlationId',
  'occurredAt',
] as const satisfies readonly (keyof AuditEntryView)[];

export interface AuditEntryRow {
  id: string;
  tenant_id: string;
  event_id: string;
  event_type: string;
  entity_type: string;
  entity_id: string;
  actor_id: string | null;
  actor_type: ActorType;
  action: string;
  changes: Changes | null;
  payload: unknown;
  ip: string | null;
  user_agent: string | null;
  correlation_id: string | null;
  occurred_at: Date;
}

export function toAuditEntryView(row: AuditEntryRow): AuditEntryView {
  return {
    id: row.id,
    organizationId: row.tenant_id,
    eventId: row.event_id,
    eventType: row.event_type,
    entityType: row.entity_type,
    entityId: row.entity_id,
    actorId: row.actor_id,
    actorType: row.actor_type,
    action: row.action,
    changes: row.changes,
    ip: row.ip,
    userAgent: row.user_agent,
    correlationId: row.correlation_id,
    occurredAt: row.occurred_at.toISOString(),
    payload: row.payload,
  };
}
