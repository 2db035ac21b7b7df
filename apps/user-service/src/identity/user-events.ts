import type { UserCreatedPayload } from '@helpdesk/contracts';
import type { User, UserSource } from '../domain/user';

/** What `user.created` tells other services: enough for a replica and a welcome mail, no secret. */
export function userCreatedPayload(user: User, source: UserSource): UserCreatedPayload {
  return {
    userId: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    departmentId: user.departmentId,
    active: user.active,
    source,
  };
}
