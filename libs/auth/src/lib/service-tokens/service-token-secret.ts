/** HS256 keys shorter than the hash output (RFC 7518 §3.2) are refused. */
export const MIN_SERVICE_TOKEN_SECRET_BYTES = 32;

/** Lets a developer's `npm start` work with no setup; refused when NODE_ENV=production. */
const DEVELOPMENT_SECRET = 'helpdesk-development-service-token-secret-do-not-use-in-production';

/**
 * The secret every service shares for service-to-service tokens, from
 * `SERVICE_TOKEN_SECRET`. Throws (so the app fails to boot) when it is too
 * short, or missing in production.
 */
export function serviceTokenSecret(env: NodeJS.ProcessEnv = process.env): Buffer {
  const configured = env['SERVICE_TOKEN_SECRET'];
  if (!configured) {
    if (env['NODE_ENV'] === 'production') {
      throw new Error('SERVICE_TOKEN_SECRET must be set in production.');
    }
    return Buffer.from(DEVELOPMENT_SECRET);
  }
  const secret = Buffer.from(configured);
  if (secret.length < MIN_SERVICE_TOKEN_SECRET_BYTES) {
    throw new Error(
      `SERVICE_TOKEN_SECRET must be at least ${MIN_SERVICE_TOKEN_SECRET_BYTES} bytes, got ${secret.length}.`,
    );
  }
  return secret;
}
