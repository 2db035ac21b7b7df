import { EventsHandler, type IEventHandler } from '@nestjs/cqrs';
import { TicketCommentAdded } from '@helpdesk/contracts';
import { Notifier } from './notifier';

const EXCERPT_LENGTH = 2000;

/**
 * A public comment: the requester and the assignee, whoever did not write it.
 * An internal note: the assignee only (if not its author) — never the requester.
 */
@EventsHandler(TicketCommentAdded)
export class NotifyCommentAdded implements IEventHandler<TicketCommentAdded> {
  constructor(private readonly notifier: Notifier) {}

  async handle(event: TicketCommentAdded): Promise<void> {
    const { ticketId, number, title, authorId, body, internal, requesterId, assigneeId } =
      event.payload;
    const recipientIds = (internal ? [assigneeId] : [requesterId, assigneeId]).filter(
      (id): id is string => id !== null && id !== authorId,
    );
    if (internal && recipientIds.includes(requesterId))
      recipientIds.splice(recipientIds.indexOf(requesterId), 1);
    const author = await this.notifier.liveUser(event.tenantId, authorId);
    const recipients = [];
    for (const id of recipientIds)
      recipients.push(await this.notifier.liveUser(event.tenantId, id));
    await this.notifier.notifyUsers(
      {
        event,
        template: 'comment-added',
        preference: 'commentAdded',
        ticket: { ticketId, number, title },
        data: {
          authorName: author?.name ?? null,
          internal,
          comment: body.length > EXCERPT_LENGTH ? `${body.slice(0, EXCERPT_LENGTH)}…` : body,
        },
        inApp: {
          type: 'ticket.comment_added',
          title: `${internal ? 'Internal note' : 'New reply'} on ticket #${number}`,
          body: body.slice(0, 200),
        },
      },
      recipients,
    );
  }
}
