import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { PageQuery } from '@helpdesk/http';

export class ListNotificationsQuery extends PageQuery {
  @ApiPropertyOptional({
    enum: ['true', 'false'],
    description: 'only unread (true) or read (false)',
  })
  @IsOptional()
  @IsIn(['true', 'false'])
  unread?: 'true' | 'false';
}

export class NotificationResource {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'ticket.assigned' }) type!: string;
  @ApiProperty() title!: string;
  @ApiProperty() body!: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) ticketId!: string | null;
  @ApiProperty() read!: boolean;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) readAt!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}
