import type { Role } from '@helpdesk/contracts';

/** The user a verified access token speaks for. */
export interface Actor {
  userId: string;
  /** The tenant: every query of the request is scoped to it. */
  organizationId: string;
  role: Role;
  sessionId: string;
  tokenId: string;
  expiresAt: Date;
}
