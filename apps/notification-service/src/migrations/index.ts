import type { MigrationClass } from '@helpdesk/database';
import { CreateNotifications1764600000000 } from './1764600000000-create-notifications';

/** Every schema change, oldest first, checked in: `synchronize` is never on. */
export const migrations: MigrationClass[] = [CreateNotifications1764600000000];
