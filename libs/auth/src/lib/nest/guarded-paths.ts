/**
 * The guard's reach: the app's API (`/api/v1/...`, the global prefix set by
 * @helpdesk/http) and service-to-service routes (`/internal/...`). Everything
 * else — /health, /metrics, /docs, /openapi.json, /.well-known/jwks.json — is
 * infrastructure served by other libraries and is public. So a route must
 * never be excluded from the global prefix unless it is meant to be public.
 */
const GUARDED_PREFIXES = ['/api/v1', '/internal'];

/**
 * `path` is the route as registered (`/api/v1/tickets/:id`), not the URL as
 * typed, so no spelling of the URL (`//api/v1`, `%2F`, trailing slashes) gets around it.
 */
export function isGuardedPath(path: string): boolean {
  const lower = path.toLowerCase();
  return GUARDED_PREFIXES.some((prefix) => lower === prefix || lower.startsWith(`${prefix}/`));
}
