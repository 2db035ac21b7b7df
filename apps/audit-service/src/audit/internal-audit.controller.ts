import { Body, Controller, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { CurrentService, InternalOnly } from '@helpdesk/auth';
import { AuditEntryView } from './audit-entry.view';
import { LogAuditEntryCommand } from './commands/log-audit-entry.handler';
import { LogAuditEntryBody } from './log-entry.dto';

/** For services only (service token whose audience is audit-service); not routed by the gateway. */
@ApiTags('internal')
@Controller('internal/audit')
export class InternalAuditController {
  constructor(private readonly commands: CommandBus) {}

  @InternalOnly()
  @Post('log')
  @ApiOperation({ summary: 'Record an entry no integration event carries (service tokens only)' })
  @ApiResponse({ status: 201, type: AuditEntryView })
  log(@CurrentService() caller: string, @Body() body: LogAuditEntryBody): Promise<AuditEntryView> {
    return this.commands.execute(new LogAuditEntryCommand(caller, body));
  }
}
