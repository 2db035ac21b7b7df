import type { MigrationClass } from '@helpdesk/database';
import { CreateAuditLog1764590000000 } from './1764590000000-create-audit-log';

/** Every schema change, oldest first, checked in: `synchronize` is never on. */
export const migrations: MigrationClass[] = [CreateAuditLog1764590000000];
