import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { currentManager } from '@helpdesk/database';

export const EMAIL_PREFERENCE_KEYS = [
  'ticketCreated',
  'ticketAssigned',
  'ticketStatusChanged',
  'commentAdded',
  'slaBreached',
] as const;
export type EmailPreferenceKey = (typeof EMAIL_PREFERENCE_KEYS)[number];
export type EmailPreferences = Record<EmailPreferenceKey, boolean>;

const COLUMNS: Record<EmailPreferenceKey, string> = {
  ticketCreated: 'ticket_created',
  ticketAssigned: 'ticket_assigned',
  ticketStatusChanged: 'ticket_status_changed',
  commentAdded: 'comment_added',
  slaBreached: 'sla_breached',
};

export const DEFAULT_EMAIL_PREFERENCES: EmailPreferences = {
  ticketCreated: true,
  ticketAssigned: true,
  ticketStatusChanged: true,
  commentAdded: true,
  slaBreached: true,
};

/** Per user, per organization; a user without a row has the defaults (everything on). */
@Injectable()
export class PreferenceStore {
  constructor(private readonly dataSource: DataSource) {}

  async emailPreferences(tenantId: string, userId: string): Promise<EmailPreferences> {
    return (await this.emailPreferencesOf(tenantId, [userId])).get(userId) as EmailPreferences;
  }

  /** Each user's preferences, in one query (a ticket event may notify every agent). */
  async emailPreferencesOf(
    tenantId: string,
    userIds: readonly string[],
  ): Promise<Map<string, EmailPreferences>> {
    const rows: Array<Record<string, unknown>> =
      userIds.length === 0
        ? []
        : await currentManager(this.dataSource).query(
            `SELECT user_id, ${Object.values(COLUMNS).join(', ')} FROM notification_preference
              WHERE tenant_id = $1 AND user_id = ANY($2::uuid[])`,
            [tenantId, userIds],
          );
    const stored = new Map(rows.map((row) => [row['user_id'] as string, row]));
    return new Map(
      userIds.map((userId) => {
        const row = stored.get(userId);
        const preferences = row
          ? (Object.fromEntries(
              EMAIL_PREFERENCE_KEYS.map((key) => [key, row[COLUMNS[key]] as boolean]),
            ) as EmailPreferences)
          : { ...DEFAULT_EMAIL_PREFERENCES };
        return [userId, preferences];
      }),
    );
  }

  async saveEmailPreferences(
    tenantId: string,
    userId: string,
    preferences: EmailPreferences,
  ): Promise<void> {
    const columns = EMAIL_PREFERENCE_KEYS.map((key) => COLUMNS[key]);
    await currentManager(this.dataSource).query(
      `INSERT INTO notification_preference (tenant_id, user_id, ${columns.join(', ')}, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, now())
       ON CONFLICT (tenant_id, user_id) DO UPDATE SET
         ${columns.map((column) => `${column} = EXCLUDED.${column}`).join(', ')}, updated_at = now()`,
      [tenantId, userId, ...EMAIL_PREFERENCE_KEYS.map((key) => preferences[key])],
    );
  }
}
