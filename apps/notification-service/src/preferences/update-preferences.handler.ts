import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { withTransaction } from '@helpdesk/database';
import type { PreferencesBody, PreferencesView } from './preferences.dto';
import { EMAIL_PREFERENCE_KEYS, PreferenceStore, type EmailPreferences } from './preference-store';

export class UpdatePreferencesCommand {
  constructor(
    readonly tenantId: string,
    readonly userId: string,
    readonly body: PreferencesBody,
  ) {}
}

@CommandHandler(UpdatePreferencesCommand)
export class UpdatePreferencesHandler implements ICommandHandler<
  UpdatePreferencesCommand,
  PreferencesView
> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly preferences: PreferenceStore,
  ) {}

  async execute({ tenantId, userId, body }: UpdatePreferencesCommand): Promise<PreferencesView> {
    const email = Object.fromEntries(
      EMAIL_PREFERENCE_KEYS.map((key) => [key, body.email[key]]),
    ) as EmailPreferences;
    return withTransaction(this.dataSource, async () => {
      await this.preferences.saveEmailPreferences(tenantId, userId, email);
      return { email: await this.preferences.emailPreferences(tenantId, userId) };
    });
  }
}
