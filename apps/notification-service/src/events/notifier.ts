import { Inject, Injectable, Logger } from '@nestjs/common';
import type { IntegrationEventBase } from '@helpdesk/contracts';
import { Directory, type DirectoryUser } from '@helpdesk/user-directory';
import { EmailQueue } from '../email/email-queue';
import { EMAIL_SETTINGS, type EmailSettings } from '../email/email-settings';
import { InAppStore } from '../notifications/in-app-store';
import { PreferenceStore, type EmailPreferenceKey } from '../preferences/preference-store';
import type { TemplateName } from '../templates';

type AnyEvent = IntegrationEventBase<string, unknown>;

export interface TicketRef {
  ticketId: string;
  number: number;
  title: string;
  priority?: string;
  description?: string;
}

export interface TicketNotice {
  event: AnyEvent;
  template: TemplateName;
  preference: EmailPreferenceKey;
  ticket: TicketRef;
  /** Template data besides `name` and `ticket`. */
  data?: Record<string, unknown>;
  /** The in-app notification; none when absent. */
  inApp?: { type: string; title: string; body: string };
}

/**
 * Who gets what for ticket events. Recipients are looked up in the directory
 * replica of the event's organization: unknown, deleted or inactive users
 * get nothing, nor does the actor who caused the event. Everything is
 * written in the caller's (the consumer's inbox) transaction.
 */
@Injectable()
export class Notifier {
  private readonly logger = new Logger(Notifier.name);

  constructor(
    private readonly directory: Directory,
    private readonly emails: EmailQueue,
    private readonly inApp: InAppStore,
    private readonly preferences: PreferenceStore,
    @Inject(EMAIL_SETTINGS) private readonly settings: EmailSettings,
  ) {}

  ticketUrl(ticketId: string): string {
    return `${this.settings.webUrl}/tickets/${encodeURIComponent(ticketId)}`;
  }

  /** The live directory user, or undefined. */
  async liveUser(tenantId: string, userId: string | null): Promise<DirectoryUser | undefined> {
    if (userId === null) return undefined;
    const user = await this.directory.user(tenantId, userId);
    return user && user.active && !user.deleted ? user : undefined;
  }

  /**
   * Sends `notice` to each distinct user among `recipients`, except the
   * event's actor: their in-app notifications, preferences and e-mails each
   * in one statement, however many agents an organization has.
   */
  async notifyUsers(
    notice: TicketNotice,
    recipients: readonly (DirectoryUser | undefined)[],
    options: { includeActor?: boolean } = {},
  ): Promise<void> {
    const { event, ticket } = notice;
    const actorId = event.metadata.actorType === 'user' ? event.metadata.actorId : null;
    const users = new Map<string, DirectoryUser>();
    for (const user of recipients) {
      if (!user || !user.active || user.deleted || users.has(user.id)) continue;
      if (user.tenantId !== event.tenantId) continue;
      if (!options.includeActor && user.id === actorId) continue;
      users.set(user.id, user);
    }
    if (users.size === 0) return;
    const inApp = notice.inApp;
    if (inApp)
      await this.inApp.addAll(
        [...users.values()].map((user) => ({
          tenantId: event.tenantId,
          userId: user.id,
          eventId: event.eventId,
          type: inApp.type,
          title: inApp.title,
          body: inApp.body,
          ticketId: ticket.ticketId,
        })),
      );
    const preferences = await this.preferences.emailPreferencesOf(event.tenantId, [
      ...users.keys(),
    ]);
    const mailed = [...users.values()].filter(
      (user) => preferences.get(user.id)?.[notice.preference] === true,
    );
    const outcomes = await this.emails.enqueueAll(
      mailed.map((user) => ({
        tenantId: event.tenantId,
        eventId: event.eventId,
        template: notice.template,
        to: { address: user.email, name: user.name, userId: user.id },
        data: {
          ...notice.data,
          name: user.name,
          ticket: { ...ticket, url: this.ticketUrl(ticket.ticketId) },
        },
      })),
    );
    outcomes.forEach((outcome, index) => {
      if (!outcome.queued && outcome.reason === 'undeliverable-address')
        this.logger.warn(
          `user ${mailed[index]?.id} has no deliverable address; ${notice.template} not sent`,
        );
    });
  }
}
