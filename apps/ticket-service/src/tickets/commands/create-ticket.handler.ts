import { CommandHandler, EventBus, type ICommandHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { currentManager, withTransaction } from '@helpdesk/database';
import { ProblemException } from '@helpdesk/http';
import { isStaff, type TicketActor } from '../../domain/actor';
import { Ticket } from '../../domain/ticket';
import { Directory } from '@helpdesk/user-directory';
import { IdempotencyKeys, type StoredAnswer } from '../../idempotency/idempotency-keys';
import { SlaContexts } from '../../sla/sla-contexts';
import { ticketCreated } from '../ticket-events';
import { TicketStore } from '../ticket-store';
import type { CreateTicketBody } from '../tickets.dto';
import { toTicketView, type TicketView } from '../ticket.view';

export class CreateTicketCommand {
  constructor(
    readonly actor: TicketActor,
    readonly body: CreateTicketBody,
    readonly idempotencyKey?: string,
  ) {}
}

/**
 * Opens a ticket: for oneself, or — agents and up — on behalf of a requester
 * of the organization. The number comes from the organization's counter in
 * the same transaction: gapless, never twice.
 */
@CommandHandler(CreateTicketCommand)
export class CreateTicketHandler implements ICommandHandler<
  CreateTicketCommand,
  StoredAnswer<TicketView>
> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly eventBus: EventBus,
    private readonly tickets: TicketStore,
    private readonly directory: Directory,
    private readonly sla: SlaContexts,
    private readonly idempotency: IdempotencyKeys,
  ) {}

  async execute({
    actor,
    body,
    idempotencyKey,
  }: CreateTicketCommand): Promise<StoredAnswer<TicketView>> {
    const requesterId = await this.requesterFor(actor, body.requesterId);
    if (
      body.departmentId &&
      !(await this.directory.hasDepartment(actor.organizationId, body.departmentId))
    )
      throw ProblemException.invalidField(
        'departmentId',
        'is not a department of this organization',
      );
    const scope = idempotencyKey
      ? { tenantId: actor.organizationId, actorId: actor.userId, key: idempotencyKey }
      : undefined;
    // Read before the transaction takes the organization's number: the counter
    // row stays locked until commit, and every create of the organization queues on it.
    const sla = await this.sla.forTenant(actor.organizationId);
    return withTransaction(this.dataSource, async () => {
      if (scope) {
        const earlier = await this.idempotency.claim<TicketView>(
          scope,
          IdempotencyKeys.fingerprint(body),
        );
        if (earlier) return earlier;
      }
      const ticket = Ticket.open(
        {
          tenantId: actor.organizationId,
          number: await this.nextNumber(actor.organizationId),
          title: body.title,
          description: body.description,
          priority: body.priority ?? 'normal',
          tags: body.tags ?? [],
          requesterId,
          departmentId: body.departmentId ?? null,
        },
        sla,
      );
      await this.tickets.insert(ticket);
      await this.eventBus.publish(ticketCreated(ticket));
      const answer = { status: 201, body: toTicketView(ticket) };
      if (scope) await this.idempotency.remember(scope, answer);
      return answer;
    });
  }

  private async requesterFor(actor: TicketActor, requesterId: string | undefined): Promise<string> {
    if (requesterId === undefined || requesterId === actor.userId) return actor.userId;
    if (!isStaff(actor))
      throw new ProblemException(403, 'Requesters open tickets for themselves only.', {
        errors: [{ field: 'requesterId', message: 'is only for agents and above' }],
      });
    const requester = await this.directory.user(actor.organizationId, requesterId);
    if (!requester || requester.deleted || !requester.active)
      throw ProblemException.invalidField('requesterId', 'is not a user of this organization');
    return requester.id;
  }

  private async nextNumber(tenantId: string): Promise<number> {
    const [row] = await currentManager(this.dataSource).query(
      `INSERT INTO ticket_counter (tenant_id, last_number) VALUES ($1, 1)
       ON CONFLICT (tenant_id) DO UPDATE SET last_number = ticket_counter.last_number + 1
       RETURNING last_number`,
      [tenantId],
    );
    return row.last_number as number;
  }
}
