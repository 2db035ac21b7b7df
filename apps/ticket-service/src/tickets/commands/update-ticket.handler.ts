import { CommandHandler, EventBus, type ICommandHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { withTransaction } from '@helpdesk/database';
import { ProblemException } from '@helpdesk/http';
import type { TicketActor } from '../../domain/actor';
import { Directory } from '@helpdesk/user-directory';
import { SlaContexts } from '../../sla/sla-contexts';
import { ticketEdited } from '../ticket-events';
import { TicketStore } from '../ticket-store';
import { assertKnownDepartment } from './known-department';
import type { UpdateTicketBody } from '../tickets.dto';
import { toTicketView, type TicketView } from '../ticket.view';

export class UpdateTicketCommand {
  constructor(
    readonly actor: TicketActor,
    readonly ticketId: string,
    readonly body: UpdateTicketBody,
    /** From If-Match: the version the client last saw. */
    readonly expectedVersion?: number,
  ) {}
}

/** PATCH /tickets/:id: fields and status, with optimistic concurrency by version. */
@CommandHandler(UpdateTicketCommand)
export class UpdateTicketHandler implements ICommandHandler<UpdateTicketCommand, TicketView> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly eventBus: EventBus,
    private readonly tickets: TicketStore,
    private readonly directory: Directory,
    private readonly sla: SlaContexts,
  ) {}

  async execute({
    actor,
    ticketId,
    body,
    expectedVersion,
  }: UpdateTicketCommand): Promise<TicketView> {
    return withTransaction(this.dataSource, async () => {
      // Locked: of two updates sent with the same If-Match, the second sees the first's version.
      const ticket = await this.tickets.visible(ticketId, actor, { forUpdate: true });
      if (expectedVersion !== undefined && expectedVersion !== ticket.version)
        throw new ProblemException(
          412,
          `The ticket changed since version ${expectedVersion}; it is now at ${ticket.version}.`,
          {
            extensions: { currentVersion: ticket.version },
          },
        );
      await assertKnownDepartment(this.directory, actor.organizationId, body.departmentId);
      const outcome = ticket.edit(body, actor, await this.sla.forTenant(actor.organizationId));
      await this.tickets.save(ticket);
      await this.eventBus.publishAll(ticketEdited(ticket, outcome));
      return toTicketView(ticket);
    });
  }
}
