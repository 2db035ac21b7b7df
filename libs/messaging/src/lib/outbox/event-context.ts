import { AsyncLocalStorage } from 'node:async_hooks';
import type { ActorType } from '@helpdesk/contracts';

/**
 * Who is acting and why, for the metadata of the events raised meanwhile.
 * Kept apart from observability's RequestContext on purpose: that one is for
 * log lines (requestId, correlationId) and is set by the HTTP layer; the actor
 * comes from authentication and the causation from the incoming event, which
 * that library knows nothing about. The correlationId stays observability's.
 */
export interface EventContext {
  readonly actorId: string | null;
  readonly actorType: ActorType;
  /** The event (or request id) that caused the work in progress. */
  readonly causationId: string | null;
}

const storage = new AsyncLocalStorage<EventContext>();

/** The system itself acting: scheduled jobs, the relay, migrations. */
const SYSTEM: EventContext = { actorId: null, actorType: 'system', causationId: null };

/**
 * Runs `work` with `context` merged over the current one: an auth guard sets the
 * actor, the consumer sets the causation (the incoming eventId) around dispatch.
 */
export function withEventContext<T>(context: Partial<EventContext>, work: () => T): T {
  return storage.run({ ...currentEventContext(), ...context }, work);
}

/** The context events raised now get; the system's when nobody set one. */
export function currentEventContext(): EventContext {
  return storage.getStore() ?? SYSTEM;
}
