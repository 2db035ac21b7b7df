import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsString, Length } from 'class-validator';
import { PageQuery } from '@helpdesk/http';
import { CommentView, TicketView } from '../tickets/ticket.view';

export class SearchQuery extends PageQuery {
  @ApiProperty({ description: 'words, "a phrase", -excluded, or (web search syntax)' })
  @Transform(({ value }) => (typeof value === 'string' ? value.trim() : value))
  @IsString()
  @Length(1, 200)
  q!: string;
}

export class TicketHit extends TicketView {
  @ApiProperty({ description: 'the matched text, HTML-escaped, matches wrapped in <mark>' })
  highlight!: string;
}

export class CommentHit extends CommentView {
  @ApiProperty({ description: 'the matched text, HTML-escaped, matches wrapped in <mark>' })
  highlight!: string;
}
