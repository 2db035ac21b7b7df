import { Global, Module } from '@nestjs/common';
import { EmailQueue } from './email-queue';
import { EmailSender } from './email-sender';
import { EMAIL_SETTINGS, emailSettings } from './email-settings';
import { SmtpMailer } from './smtp-mailer';

/** The e-mail outbox: queue (in the caller's transaction), sender loop, SMTP transport. Global for /health. */
@Global()
@Module({
  providers: [
    { provide: EMAIL_SETTINGS, useFactory: () => emailSettings() },
    SmtpMailer,
    EmailSender,
    EmailQueue,
  ],
  exports: [EMAIL_SETTINGS, SmtpMailer, EmailSender, EmailQueue],
})
export class EmailModule {}
