import { AsyncLocalStorage } from 'node:async_hooks';
import type { Actor } from '../access-token/actor';

/** Who a request was authenticated as: a user (access token) or a service (service token). */
export type Principal =
  | { readonly kind: 'user'; readonly actor: Actor }
  | { readonly kind: 'service'; readonly serviceName: string };

/**
 * Keyed by the request object, so nothing is written onto the request that a
 * client-controlled property could be confused with.
 */
const principals = new WeakMap<object, Principal>();

export function setPrincipal(request: object, principal: Principal): void {
  principals.set(request, principal);
}

export function principalOf(request: object): Principal | undefined {
  return principals.get(request);
}

/** The principal of the request being handled, for code far from the controller. */
export const principalStorage = new AsyncLocalStorage<Principal>();

/** The user the current request acts for; undefined outside a user request (public route, service call, job). */
export function currentActor(): Actor | undefined {
  const principal = principalStorage.getStore();
  return principal?.kind === 'user' ? principal.actor : undefined;
}
