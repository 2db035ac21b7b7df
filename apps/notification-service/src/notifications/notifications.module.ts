import { Module } from '@nestjs/common';
import { GetEmailHandler } from '../emails/get-email.handler';
import { EmailsController } from '../emails/emails.controller';
import { InternalEmailsController } from '../emails/internal-emails.controller';
import { ListEmailsHandler } from '../emails/list-emails.handler';
import { SendEmailHandler } from '../emails/send-email.handler';
import { GetPreferencesHandler } from '../preferences/get-preferences.handler';
import { PreferenceStore } from '../preferences/preference-store';
import { UpdatePreferencesHandler } from '../preferences/update-preferences.handler';
import { InAppStore } from './in-app-store';
import { ListNotificationsHandler } from './list-notifications.handler';
import { MarkNotificationReadHandler } from './mark-read.handler';
import { NotificationsController } from './notifications.controller';

/** The HTTP side: in-app notifications, preferences, the admin e-mail log, the internal send. */
@Module({
  controllers: [EmailsController, NotificationsController, InternalEmailsController],
  providers: [
    InAppStore,
    PreferenceStore,
    ListNotificationsHandler,
    MarkNotificationReadHandler,
    GetPreferencesHandler,
    UpdatePreferencesHandler,
    ListEmailsHandler,
    GetEmailHandler,
    SendEmailHandler,
  ],
})
export class NotificationsModule {}
