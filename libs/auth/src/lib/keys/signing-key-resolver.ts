import type { KeyObject } from 'node:crypto';

/**
 * Where the verifier gets user-service's public signing key for a `kid`.
 * `undefined` means the key is unknown (after whatever refresh the resolver
 * allows itself): the token is refused.
 */
export interface SigningKeyResolver {
  resolve(kid: string): Promise<KeyObject | undefined>;
}

/** Injection token of the app's SigningKeyResolver (AuthModule's `keyResolver` option). */
export const SIGNING_KEY_RESOLVER = Symbol('SIGNING_KEY_RESOLVER');
