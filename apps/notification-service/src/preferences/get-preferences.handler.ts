import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { PreferencesView } from './preferences.dto';
import { PreferenceStore } from './preference-store';

export class GetPreferencesQuery {
  constructor(
    readonly tenantId: string,
    readonly userId: string,
  ) {}
}

@QueryHandler(GetPreferencesQuery)
export class GetPreferencesHandler implements IQueryHandler<GetPreferencesQuery, PreferencesView> {
  constructor(private readonly preferences: PreferenceStore) {}

  async execute({ tenantId, userId }: GetPreferencesQuery): Promise<PreferencesView> {
    return { email: await this.preferences.emailPreferences(tenantId, userId) };
  }
}
