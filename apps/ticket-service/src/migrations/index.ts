import type { MigrationClass } from '@helpdesk/database';
import { CreateTickets1764580000000 } from './1764580000000-create-tickets';
import { TenantScopedSearchIndexes1764620000000 } from './1764620000000-tenant-scoped-search-indexes';
import { CommentTenantFollowsTicket1764700000000 } from './1764700000000-comment-tenant-follows-ticket';
import { TicketSearchDocuments1764800000000 } from './1764800000000-ticket-search-documents';
import { BoundedGinPendingLists1764900000000 } from './1764900000000-bounded-gin-pending-lists';
import { SearchDocumentsVacuumedEarly1764910000000 } from './1764910000000-search-documents-vacuumed-early';

/** Every schema change, oldest first, checked in: `synchronize` is never on. */
export const migrations: MigrationClass[] = [
  CreateTickets1764580000000,
  TenantScopedSearchIndexes1764620000000,
  CommentTenantFollowsTicket1764700000000,
  TicketSearchDocuments1764800000000,
  BoundedGinPendingLists1764900000000,
  SearchDocumentsVacuumedEarly1764910000000,
];
