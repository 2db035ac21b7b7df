import { randomUUID } from 'node:crypto';
import type { TicketCreatedPayload } from '@helpdesk/contracts';
import { databaseUrlEnvVar, migrateServiceDatabase, type MigrationClass } from '@helpdesk/database';

/** The environment a fixture app of `serviceName` reads its database URL from. */
export function fixtureEnv(serviceName: string, databaseUrl: string): NodeJS.ProcessEnv {
  return { [databaseUrlEnvVar(serviceName)]: databaseUrl };
}

/** Applies a fixture app's migrations to its test database, quietly. */
export function migrateFixture(
  serviceName: string,
  migrations: MigrationClass[],
  databaseUrl: string,
): Promise<string[]> {
  return migrateServiceDatabase({
    serviceName,
    entities: [],
    migrations,
    env: fixtureEnv(serviceName, databaseUrl),
    logger: { log: () => undefined, error: () => undefined },
  });
}

/** A valid `ticket.created` payload for a new ticket. */
export function ticketCreatedPayload(ticketId: string): TicketCreatedPayload {
  return {
    ticketId,
    number: 1,
    title: 'Printer on fire',
    description: 'Smoke from tray 2.',
    status: 'open',
    priority: 'urgent',
    tags: ['hardware'],
    requesterId: randomUUID(),
    assigneeId: null,
    departmentId: null,
    sla: { firstResponseDueAt: null, resolutionDueAt: null },
  };
}
