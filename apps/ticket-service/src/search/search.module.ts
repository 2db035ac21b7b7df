import { Controller, Get, Module, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { type Actor, CurrentActor } from '@helpdesk/auth';
import type { Paginated } from '@helpdesk/http';
import { ticketActor } from '../tickets/ticket-actor';
import { TicketsModule } from '../tickets/tickets.module';
import { SearchCommentsHandler, SearchCommentsQuery } from './search-comments.handler';
import { SearchTicketsHandler, SearchTicketsQuery } from './search-tickets.handler';
import { SearchQuery, type CommentHit, type TicketHit } from './search.dto';

@ApiTags('search')
@ApiBearerAuth('bearer')
@Controller('search')
export class SearchController {
  constructor(private readonly queries: QueryBus) {}

  @Get('tickets')
  tickets(
    @CurrentActor() actor: Actor,
    @Query() query: SearchQuery,
  ): Promise<Paginated<TicketHit>> {
    return this.queries.execute(new SearchTicketsQuery(ticketActor(actor), query));
  }

  @Get('comments')
  comments(
    @CurrentActor() actor: Actor,
    @Query() query: SearchQuery,
  ): Promise<Paginated<CommentHit>> {
    return this.queries.execute(new SearchCommentsQuery(ticketActor(actor), query));
  }
}

@Module({
  imports: [TicketsModule],
  controllers: [SearchController],
  providers: [SearchTicketsHandler, SearchCommentsHandler],
})
export class SearchModule {}
