import { CommandHandler, EventBus, type ICommandHandler } from '@nestjs/cqrs';
import { DataSource, QueryFailedError } from 'typeorm';
import { currentManager, postgresErrorCode, withTransaction } from '@helpdesk/database';
import { ProblemException } from '@helpdesk/http';
import { isStaff, type TicketActor } from '../../domain/actor';
import { Ticket, type SlaContext } from '../../domain/ticket';
import { Directory } from '@helpdesk/user-directory';
import { IdempotencyKeys, type StoredAnswer } from '../../idempotency/idempotency-keys';
import { SlaContexts } from '../../sla/sla-contexts';
import { GroupCommit, type Submitted } from '../group-commit';
import { ticketCreated } from '../ticket-events';
import { TicketStore } from '../ticket-store';
import { assertKnownDepartment } from './known-department';
import type { CreateTicketBody } from '../tickets.dto';
import { toTicketView, type TicketView } from '../ticket.view';

export class CreateTicketCommand {
  constructor(
    readonly actor: TicketActor,
    readonly body: CreateTicketBody,
    readonly idempotencyKey?: string,
  ) {}
}

/** A validated create, waiting for its number. */
type TicketToOpen = Omit<Parameters<typeof Ticket.open>[0], 'number'>;

/** More than a pool's worth of requests rarely queue behind one organization's commit. */
const MAX_TICKETS_PER_COMMIT = 100;

/**
 * Opens a ticket: for oneself, or — agents and up — on behalf of a requester
 * of the organization. The number comes from the organization's counter in
 * the same transaction: gapless, never twice.
 *
 * That counter row stays locked until commit, so one organization's creates
 * cannot commit side by side. Instead of queueing one transaction each on
 * that lock, the creates that arrive while one commit is in flight are
 * committed together in the next (GroupCommit): one counter update, one
 * multi-row insert, one outbox insert, one WAL flush for all of them.
 * Creates with an Idempotency-Key commit alone, in the transaction that claims
 * the key — a key must never be claimed twice in one transaction.
 */
@CommandHandler(CreateTicketCommand)
export class CreateTicketHandler implements ICommandHandler<
  CreateTicketCommand,
  StoredAnswer<TicketView>
> {
  private readonly opening = new GroupCommit<TicketToOpen, StoredAnswer<TicketView>>(
    async (tenantId, batch) => {
      // Read before the transaction takes the organization's number — and once for the batch.
      const sla = await this.sla.forTenant(tenantId);
      return withTransaction(this.dataSource, () => this.open(tenantId, batch, sla));
    },
    { maxBatch: MAX_TICKETS_PER_COMMIT, nothingCommitted: certainlyCommittedNothing },
  );

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
    await assertKnownDepartment(this.directory, actor.organizationId, body.departmentId);
    const toOpen: TicketToOpen = {
      tenantId: actor.organizationId,
      title: body.title,
      description: body.description,
      priority: body.priority ?? 'normal',
      tags: body.tags ?? [],
      requesterId,
      departmentId: body.departmentId ?? null,
    };
    if (!idempotencyKey) return this.opening.submit(actor.organizationId, toOpen);

    const scope = { tenantId: actor.organizationId, actorId: actor.userId, key: idempotencyKey };
    const sla = await this.sla.forTenant(actor.organizationId);
    return withTransaction(this.dataSource, async () => {
      const earlier = await this.idempotency.claim<TicketView>(
        scope,
        IdempotencyKeys.fingerprint(body),
      );
      if (earlier) return earlier;
      const [answer] = await this.open(
        actor.organizationId,
        [{ item: toOpen, inSubmitterContext: (work) => work() }],
        sla,
      );
      await this.idempotency.remember(scope, answer as StoredAnswer<TicketView>);
      return answer as StoredAnswer<TicketView>;
    });
  }

  /** Inside a transaction: numbers, rows and `ticket.created` events for a batch, in order. */
  private async open(
    tenantId: string,
    batch: ReadonlyArray<Submitted<TicketToOpen>>,
    sla: SlaContext,
  ): Promise<Array<StoredAnswer<TicketView>>> {
    const firstNumber = await this.reserveNumbers(tenantId, batch.length);
    const tickets = batch.map(({ item }, index) =>
      Ticket.open({ ...item, number: firstNumber + index }, sla),
    );
    await this.tickets.insertAll(tenantId, tickets);
    // Each event carries its own request's actor, correlation id and client address.
    batch.forEach(({ inSubmitterContext }, index) =>
      this.eventBus.publish(inSubmitterContext(() => ticketCreated(tickets[index] as Ticket))),
    );
    return tickets.map((ticket) => ({ status: 201, body: toTicketView(ticket) }));
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

  /** The first of `count` consecutive numbers, taken from the organization's counter. */
  private async reserveNumbers(tenantId: string, count: number): Promise<number> {
    const [row] = await currentManager(this.dataSource).query(
      `INSERT INTO ticket_counter (tenant_id, last_number) VALUES ($1, $2)
       ON CONFLICT (tenant_id) DO UPDATE SET last_number = ticket_counter.last_number + EXCLUDED.last_number
       RETURNING last_number`,
      [tenantId, count],
    );
    return (row.last_number as number) - count + 1;
  }
}

/**
 * A batch may be retried item by item only if it certainly committed nothing:
 * PostgreSQL refused a statement (SQLSTATE), or it never reached the database.
 * A lost connection (a driver error without SQLSTATE) may have lost it around
 * COMMIT — retrying could open the same tickets twice.
 */
function certainlyCommittedNothing(error: unknown): boolean {
  return !(error instanceof QueryFailedError) || postgresErrorCode(error) !== undefined;
}
