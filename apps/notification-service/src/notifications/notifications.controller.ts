import { Body, Controller, Get, HttpCode, Param, Patch, Put, Query } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { type Actor, CurrentActor } from '@helpdesk/auth';
import type { Paginated } from '@helpdesk/http';
import { GetPreferencesQuery } from '../preferences/get-preferences.handler';
import { PreferencesBody, PreferencesView } from '../preferences/preferences.dto';
import { UpdatePreferencesCommand } from '../preferences/update-preferences.handler';
import type { NotificationView } from './in-app-store';
import { ListNotificationsQueryMessage } from './list-notifications.handler';
import { MarkNotificationReadCommand } from './mark-read.handler';
import { ListNotificationsQuery } from './notifications.dto';

/** Any signed-in user, about themselves only. */
@ApiTags('notifications')
@ApiBearerAuth('bearer')
@Controller('notifications')
export class NotificationsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Get()
  @ApiOperation({ summary: 'The caller’s in-app notifications, newest first' })
  list(
    @CurrentActor() actor: Actor,
    @Query() query: ListNotificationsQuery,
  ): Promise<Paginated<NotificationView>> {
    return this.queries.execute(
      new ListNotificationsQueryMessage(actor.organizationId, actor.userId, query),
    );
  }

  @Get('preferences')
  @ApiResponse({ status: 200, type: PreferencesView })
  preferences(@CurrentActor() actor: Actor): Promise<PreferencesView> {
    return this.queries.execute(new GetPreferencesQuery(actor.organizationId, actor.userId));
  }

  @Put('preferences')
  @ApiOperation({ summary: 'Replace the caller’s e-mail preferences (all five booleans)' })
  @ApiResponse({ status: 200, type: PreferencesView })
  updatePreferences(
    @CurrentActor() actor: Actor,
    @Body() body: PreferencesBody,
  ): Promise<PreferencesView> {
    return this.commands.execute(
      new UpdatePreferencesCommand(actor.organizationId, actor.userId, body),
    );
  }

  @Patch(':id/read')
  @HttpCode(204)
  @ApiOperation({ summary: 'Mark one of the caller’s notifications read' })
  async markRead(@CurrentActor() actor: Actor, @Param('id') id: string): Promise<void> {
    await this.commands.execute(
      new MarkNotificationReadCommand(actor.organizationId, actor.userId, id),
    );
  }
}
