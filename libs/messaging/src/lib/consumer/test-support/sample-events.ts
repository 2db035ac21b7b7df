import { randomUUID } from 'node:crypto';
import {
  type IntegrationEvent,
  TicketCreated,
  type TicketCreatedPayload,
  UserCreated,
  type UserCreatedPayload,
} from '@helpdesk/contracts';
import { ticketCreatedPayload } from '../../test/shared-fixtures';

interface SampleClass<TType extends string, TPayload, TEvent> {
  readonly eventType: TType;
  readonly version: number;
  readonly aggregateType: string;
  new (envelope: IntegrationEvent<TType, TPayload>): TEvent;
}

/** A valid event of a new aggregate (version 1), as a producer would publish it. */
function sample<TType extends string, TPayload, TEvent>(
  eventClass: SampleClass<TType, TPayload, TEvent>,
  payload: (aggregateId: string) => TPayload,
): TEvent {
  const aggregateId = randomUUID();
  return new eventClass({
    eventId: randomUUID(),
    eventType: eventClass.eventType,
    version: eventClass.version,
    aggregateType: eventClass.aggregateType,
    aggregateId,
    aggregateVersion: 1,
    tenantId: randomUUID(),
    timestamp: new Date().toISOString(),
    payload: payload(aggregateId),
    metadata: {
      correlationId: randomUUID(),
      causationId: null,
      actorId: null,
      actorType: 'system',
    },
  });
}

export function sampleTicketCreated(): TicketCreated {
  return sample<'ticket.created', TicketCreatedPayload, TicketCreated>(
    TicketCreated,
    ticketCreatedPayload,
  );
}

export function sampleUserCreated(): UserCreated {
  return sample<'user.created', UserCreatedPayload, UserCreated>(UserCreated, (userId) => ({
    userId,
    email: 'new.agent@example.com',
    name: 'New Agent',
    role: 'agent',
    departmentId: null,
    active: true,
    source: 'invitation',
  }));
}
