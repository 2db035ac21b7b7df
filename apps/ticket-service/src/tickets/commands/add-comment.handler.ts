import { CommandHandler, EventBus, type ICommandHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { currentManager, withTransaction } from '@helpdesk/database';
import type { TicketActor } from '../../domain/actor';
import { Comment } from '../../domain/comment';
import { CommentSchema } from '../../persistence/schemas';
import { SlaContexts } from '../../sla/sla-contexts';
import { commentAdded } from '../ticket-events';
import { TicketStore } from '../ticket-store';
import { toCommentView, type CommentView } from '../ticket.view';

export class AddCommentCommand {
  constructor(
    readonly actor: TicketActor,
    readonly ticketId: string,
    readonly body: string,
    readonly internal: boolean,
  ) {}
}

/** A comment; an agent's first public one is the ticket's first response. */
@CommandHandler(AddCommentCommand)
export class AddCommentHandler implements ICommandHandler<AddCommentCommand, CommentView> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly eventBus: EventBus,
    private readonly tickets: TicketStore,
    private readonly sla: SlaContexts,
  ) {}

  async execute({ actor, ticketId, body, internal }: AddCommentCommand): Promise<CommentView> {
    return withTransaction(this.dataSource, async () => {
      const ticket = await this.tickets.visible(ticketId, actor, { forUpdate: true });
      const draft = ticket.comment(
        { body, internal },
        actor,
        await this.sla.forTenant(ticket.tenantId),
      );
      const { firstResponse: _firstResponse, ...fields } = draft;
      const comment = Comment.from(fields);
      await this.tickets.save(ticket);
      await currentManager(this.dataSource).getRepository(CommentSchema).insert(comment);
      await this.eventBus.publish(commentAdded(ticket, draft));
      return toCommentView(comment);
    });
  }
}
