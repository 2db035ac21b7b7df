import type { Actor } from '@helpdesk/auth';

/** Who the events of a directory change name as their actor: the signed-in user. */
export function eventActor(actor: Actor): { actorId: string; actorType: 'user' } {
  return { actorId: actor.userId, actorType: 'user' };
}
