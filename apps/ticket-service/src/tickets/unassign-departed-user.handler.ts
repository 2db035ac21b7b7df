import { EventBus, EventsHandler, type IEventHandler } from '@nestjs/cqrs';
import { DataSource, type EntityManager } from 'typeorm';
import { TicketAssigned, UserDeleted, type TicketAssignedPayload } from '@helpdesk/contracts';
import { withTransaction } from '@helpdesk/database';
import { raise } from '@helpdesk/messaging';
import { TicketSchema } from '../persistence/schemas';

/** Tickets unassigned per round trip; all of them in the one transaction. */
const BATCH = 200;

/**
 * The user left the organization (the shared directory replica tombstones
 * them in the same inbox transaction): every ticket of the organization
 * assigned to them is unassigned, each with its own `ticket.assigned`
 * (assigneeId null) — so either the user is gone with none of their tickets
 * left, or nothing happened and the event is retried. Tickets they requested
 * stay as they are.
 *
 * The user's replica row is locked first: an assignment that checks the
 * assignee with a shared lock on that row either finishes before this sweep
 * (which then finds its ticket) or waits and sees the tombstone.
 */
@EventsHandler(UserDeleted)
export class UnassignDepartedUserHandler implements IEventHandler<UserDeleted> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly eventBus: EventBus,
  ) {}

  async handle(event: UserDeleted): Promise<void> {
    await withTransaction(this.dataSource, async (manager) => {
      await manager.query(
        'SELECT 1 FROM directory_user WHERE id = $1 AND tenant_id = $2 FOR UPDATE',
        [event.payload.userId, event.tenantId],
      );
      await this.unassignTickets(manager, event);
    });
  }

  private async unassignTickets(manager: EntityManager, event: UserDeleted): Promise<void> {
    const { tenantId } = event;
    const { userId } = event.payload;
    const tickets = manager.getRepository(TicketSchema);
    for (;;) {
      // In id order, so that two sweeps (or a sweep and a bulk change) never deadlock.
      const batch = await tickets.find({
        where: { tenantId, assigneeId: userId },
        order: { id: 'ASC' },
        take: BATCH,
        lock: { mode: 'pessimistic_write' },
      });
      if (batch.length === 0) return;
      const now = new Date();
      for (const ticket of batch) {
        if (!ticket.unassignDeparted(userId, now)) continue;
        await tickets.save(ticket);
        const payload: TicketAssignedPayload = {
          ticketId: ticket.id,
          number: ticket.number,
          title: ticket.title,
          previousAssigneeId: userId,
          assigneeId: null,
          requesterId: ticket.requesterId,
          priority: ticket.priority,
        };
        await this.eventBus.publish(
          raise(TicketAssigned, {
            tenantId,
            aggregateId: ticket.id,
            aggregateVersion: ticket.version,
            payload,
            // Whoever deleted the user caused this; the deletion is the cause.
            actor: { actorId: event.metadata.actorId, actorType: event.metadata.actorType },
            causationId: event.eventId,
          }),
        );
      }
    }
  }
}
