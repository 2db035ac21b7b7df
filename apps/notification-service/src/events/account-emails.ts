import { Inject, Injectable } from '@nestjs/common';
import { Directory } from '@helpdesk/user-directory';
import { EmailQueue } from '../email/email-queue';
import { EMAIL_SETTINGS, type EmailSettings } from '../email/email-settings';
import type { TemplateName } from '../templates';

/** Welcome, invitation and reset mails: to the address in the event, whatever the preferences. */
@Injectable()
export class AccountEmails {
  constructor(
    private readonly directory: Directory,
    private readonly emails: EmailQueue,
    @Inject(EMAIL_SETTINGS) private readonly settings: EmailSettings,
  ) {}

  link(path: '/reset-password' | '/accept-invite' | '/login', token?: string): string {
    return `${this.settings.webUrl}${path}${token === undefined ? '' : `?token=${encodeURIComponent(token)}`}`;
  }

  async send(input: {
    tenantId: string;
    eventId: string;
    template: TemplateName;
    user: { userId: string; email: string; name: string };
    data: Record<string, unknown>;
  }): Promise<void> {
    const organization = await this.directory.organization(input.tenantId);
    await this.emails.enqueue({
      tenantId: input.tenantId,
      eventId: input.eventId,
      template: input.template,
      to: { address: input.user.email, name: input.user.name, userId: input.user.userId },
      data: {
        ...input.data,
        name: input.user.name,
        email: input.user.email,
        organizationName: organization?.name ?? 'your organization',
      },
    });
  }
}
