import { UserCreated, type ActorType, type UserCreatedPayload } from '@helpdesk/contracts';
import { raise } from '@helpdesk/messaging';
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

/**
 * The `user.created` event of a new user. Someone who signs up or registers
 * creates themself (the default actor); an invitation names the inviting admin
 * through the request's event context instead.
 */
export function userCreated(
  user: User,
  source: UserSource,
  actor: { actorId: string | null; actorType: ActorType } | undefined = {
    actorId: user.id,
    actorType: 'user',
  },
) {
  return raise(UserCreated, {
    tenantId: user.tenantId,
    aggregateId: user.id,
    aggregateVersion: user.version,
    payload: userCreatedPayload(user, source),
    ...(actor ? { actor } : {}),
  });
}
