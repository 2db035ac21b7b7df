import { Module } from '@nestjs/common';
import { IdempotencyKeys } from '../idempotency/idempotency-keys';
import { SlaBreachSweeper } from '../sla/sla-breach-sweeper';
import { SlaContexts } from '../sla/sla-contexts';
import { AddCommentHandler } from './commands/add-comment.handler';
import { AssignTicketHandler } from './commands/assign-ticket.handler';
import { CreateTicketHandler } from './commands/create-ticket.handler';
import { DeleteTicketHandler } from './commands/delete-ticket.handler';
import { UpdateTicketHandler } from './commands/update-ticket.handler';
import { GetTicketHandler } from './queries/get-ticket.handler';
import { ListCommentsHandler } from './queries/list-comments.handler';
import { ListTicketsHandler } from './queries/list-tickets.handler';
import { ListTotals } from './list-totals';
import { TicketStore } from './ticket-store';
import { UnassignDepartedUserHandler } from './unassign-departed-user.handler';
import { TicketsController } from './tickets.controller';

@Module({
  controllers: [TicketsController],
  providers: [
    TicketStore,
    ListTotals,
    SlaContexts,
    SlaBreachSweeper,
    IdempotencyKeys,
    CreateTicketHandler,
    UpdateTicketHandler,
    AssignTicketHandler,
    DeleteTicketHandler,
    AddCommentHandler,
    ListTicketsHandler,
    GetTicketHandler,
    ListCommentsHandler,
    UnassignDepartedUserHandler,
  ],
  exports: [TicketStore, ListTotals, SlaContexts],
})
export class TicketsModule {}
