import {
  Body,
  Controller,
  Delete,
  Get,
  Headers,
  HttpCode,
  Param,
  Patch,
  Post,
  Query,
  Res,
} from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { type Actor, CurrentActor, Roles } from '@helpdesk/auth';
import { ApiProblemResponse, PageQuery, ProblemException, type Paginated } from '@helpdesk/http';
import { ticketActor } from './ticket-actor';
import { AddCommentCommand } from './commands/add-comment.handler';
import { AssignTicketCommand } from './commands/assign-ticket.handler';
import { CreateTicketCommand } from './commands/create-ticket.handler';
import { DeleteTicketCommand } from './commands/delete-ticket.handler';
import { UpdateTicketCommand } from './commands/update-ticket.handler';
import { GetTicketQuery } from './queries/get-ticket.handler';
import { ListCommentsQuery } from './queries/list-comments.handler';
import { ListTicketsQueryMessage } from './queries/list-tickets.handler';
import { CommentView, TicketView } from './ticket.view';
import {
  AddCommentBody,
  AssignTicketBody,
  CreateTicketBody,
  ListTicketsQuery,
  UpdateTicketBody,
} from './tickets.dto';

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

/** `"3"`, `W/"3"` or a bare `3`; anything else is 400. */
function expectedVersion(ifMatch: string | undefined): number | undefined {
  if (ifMatch === undefined || ifMatch.trim() === '*') return undefined;
  const match = /^\s*(?:W\/)?"?(\d{1,9})"?\s*$/.exec(ifMatch);
  if (!match) throw new ProblemException(400, 'If-Match must be the ticket’s ETag, e.g. "3".');
  return Number(match[1]);
}

function withEtag(reply: FastifyReply, ticket: TicketView): TicketView {
  reply.header('ETag', `"${ticket.version}"`);
  return ticket;
}

@ApiTags('tickets')
@ApiBearerAuth('bearer')
@Controller('tickets')
export class TicketsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Post()
  @ApiOperation({ summary: 'Open a ticket (agents and up may open it for a requester)' })
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description: 'a retried create returns the first answer for 24 h',
  })
  @ApiResponse({ status: 201, type: TicketView })
  @ApiProblemResponse(409, 'The same Idempotency-Key is still in flight')
  @ApiProblemResponse(422, 'The Idempotency-Key was used with another body')
  async create(
    @CurrentActor() actor: Actor,
    @Body() body: CreateTicketBody,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<TicketView> {
    if (idempotencyKey !== undefined && !IDEMPOTENCY_KEY.test(idempotencyKey))
      throw new ProblemException(400, 'Idempotency-Key must be 1–255 visible ASCII characters.');
    const answer = await this.commands.execute(
      new CreateTicketCommand(ticketActor(actor), body, idempotencyKey),
    );
    reply.status(answer.status);
    return withEtag(reply, answer.body);
  }

  @Get()
  list(
    @CurrentActor() actor: Actor,
    @Query() query: ListTicketsQuery,
  ): Promise<Paginated<TicketView>> {
    return this.queries.execute(new ListTicketsQueryMessage(ticketActor(actor), query));
  }

  @Roles('agent')
  @Get('inbox')
  @ApiOperation({ summary: 'Tickets assigned to the caller that are not resolved or closed' })
  inbox(
    @CurrentActor() actor: Actor,
    @Query() query: ListTicketsQuery,
  ): Promise<Paginated<TicketView>> {
    return this.queries.execute(
      new ListTicketsQueryMessage(ticketActor(actor), query, actor.userId),
    );
  }

  @Get(':id')
  @ApiResponse({ status: 200, type: TicketView })
  async get(
    @CurrentActor() actor: Actor,
    @Param('id') id: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<TicketView> {
    return withEtag(reply, await this.queries.execute(new GetTicketQuery(ticketActor(actor), id)));
  }

  @Patch(':id')
  @ApiHeader({
    name: 'If-Match',
    required: false,
    description: 'the ETag last seen; 412 if the ticket changed since',
  })
  @ApiResponse({ status: 200, type: TicketView })
  @ApiProblemResponse(409, 'Move not allowed by the status machine')
  @ApiProblemResponse(412, 'The ticket changed since the If-Match version')
  async update(
    @CurrentActor() actor: Actor,
    @Param('id') id: string,
    @Body() body: UpdateTicketBody,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<TicketView> {
    const ticket = await this.commands.execute(
      new UpdateTicketCommand(ticketActor(actor), id, body, expectedVersion(ifMatch)),
    );
    return withEtag(reply, ticket);
  }

  @Roles('agent')
  @Patch(':id/assign')
  @ApiResponse({ status: 200, type: TicketView })
  async assign(
    @CurrentActor() actor: Actor,
    @Param('id') id: string,
    @Body() body: AssignTicketBody,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<TicketView> {
    return withEtag(
      reply,
      await this.commands.execute(new AssignTicketCommand(ticketActor(actor), id, body.assigneeId)),
    );
  }

  @Delete(':id')
  @HttpCode(204)
  async remove(@CurrentActor() actor: Actor, @Param('id') id: string): Promise<void> {
    await this.commands.execute(new DeleteTicketCommand(ticketActor(actor), id));
  }

  @Get(':id/comments')
  comments(
    @CurrentActor() actor: Actor,
    @Param('id') id: string,
    @Query() page: PageQuery,
  ): Promise<Paginated<CommentView>> {
    return this.queries.execute(new ListCommentsQuery(ticketActor(actor), id, page));
  }

  @Post(':id/comments')
  @ApiResponse({ status: 201, type: CommentView })
  addComment(
    @CurrentActor() actor: Actor,
    @Param('id') id: string,
    @Body() body: AddCommentBody,
  ): Promise<CommentView> {
    return this.commands.execute(
      new AddCommentCommand(ticketActor(actor), id, body.body, body.internal ?? false),
    );
  }
}
