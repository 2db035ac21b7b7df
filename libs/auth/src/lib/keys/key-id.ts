/**
 * A `kid` we are willing to look up: short and plain, so a token cannot make
 * us log, cache or send (to the JWKS endpoint) anything odd.
 */
const KEY_ID_PATTERN = /^[A-Za-z0-9._-]{1,128}$/;

export function isValidKeyId(kid: unknown): kid is string {
  return typeof kid === 'string' && KEY_ID_PATTERN.test(kid);
}
