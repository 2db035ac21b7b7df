import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { InternalOnly } from '@helpdesk/auth';
import { SendEmailAnswer, SendEmailBody } from './emails.dto';
import { SendEmailCommand } from './send-email.handler';

/** Service to service (a service token whose audience is notification-service); not routed by the gateway. */
@ApiTags('internal')
@ApiBearerAuth('bearer')
@Controller('internal/notifications')
export class InternalEmailsController {
  constructor(private readonly commands: CommandBus) {}

  @InternalOnly()
  @Post('email')
  @HttpCode(202)
  @ApiOperation({ summary: 'Queue an e-mail from a template (once per idempotencyKey)' })
  @ApiResponse({ status: 202, type: SendEmailAnswer })
  send(@Body() body: SendEmailBody): Promise<SendEmailAnswer> {
    return this.commands.execute(new SendEmailCommand(body));
  }
}
