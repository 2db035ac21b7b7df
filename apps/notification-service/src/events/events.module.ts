import { Module } from '@nestjs/common';
import { InAppStore } from '../notifications/in-app-store';
import { PreferenceStore } from '../preferences/preference-store';
import { AccountEmails } from './account-emails';
import { NotifyCommentAdded } from './comment-added.handler';
import { Notifier } from './notifier';
import { SendPasswordResetEmail } from './password-reset-requested.handler';
import { NotifySlaBreached } from './sla-breached.handler';
import { NotifyTicketAssigned } from './ticket-assigned.handler';
import { NotifyTicketCreated } from './ticket-created.handler';
import { NotifyTicketStatusChanged } from './ticket-status-changed.handler';
import { SendWelcomeEmail } from './user-created.handler';
import { SendInvitationEmail } from './user-invited.handler';

/** What each consumed event turns into; the consumer binds the queue to these handlers' events. */
@Module({
  providers: [
    InAppStore,
    PreferenceStore,
    AccountEmails,
    Notifier,
    SendWelcomeEmail,
    SendInvitationEmail,
    SendPasswordResetEmail,
    NotifyTicketCreated,
    NotifyTicketAssigned,
    NotifyTicketStatusChanged,
    NotifyCommentAdded,
    NotifySlaBreached,
  ],
})
export class NotificationEventsModule {}
