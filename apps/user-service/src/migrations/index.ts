import type { MigrationClass } from '@helpdesk/database';
import { CreateIdentity1764576000000 } from './1764576000000-create-identity';

/**
 * Every schema change, oldest first, checked in: `synchronize` is never on.
 * A migration is a class named `<Change><unix-ms>` with `name` set to the same.
 */
export const migrations: MigrationClass[] = [CreateIdentity1764576000000];
