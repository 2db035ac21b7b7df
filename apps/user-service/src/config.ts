/**
 * Everything user-service can be tuned by, read once from the environment.
 * Defaults are the production values; tests lower the throttles they probe.
 */
export interface IdentitySettings {
  accessTokenTtlSeconds: number;
  sessionLifetimeMs: number;
  passwordResetTtlMs: number;
  invitationTtlMs: number;
  loginFailureWindowMs: number;
  maxLoginFailuresPerAccount: number;
  maxLoginFailuresPerIp: number;
  maxResetRequestsPerAccount: number;
  /** Every forgot-password answer takes at least this long, whatever happened. */
  forgotPasswordMinResponseMs: number;
  signingKeyRotationMs: number;
  webUrl: string;
}

export const IDENTITY_SETTINGS = Symbol('IDENTITY_SETTINGS');

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

function positiveNumber(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0)
    throw new Error(`${name} must be a positive number, got "${raw}"`);
  return value;
}

export function identitySettings(env: NodeJS.ProcessEnv = process.env): IdentitySettings {
  return {
    accessTokenTtlSeconds: positiveNumber(env, 'ACCESS_TOKEN_TTL_SECONDS', 900),
    sessionLifetimeMs: positiveNumber(env, 'SESSION_LIFETIME_DAYS', 30) * DAY,
    passwordResetTtlMs: positiveNumber(env, 'PASSWORD_RESET_TTL_MINUTES', 30) * MINUTE,
    invitationTtlMs: positiveNumber(env, 'INVITATION_TTL_DAYS', 7) * DAY,
    loginFailureWindowMs: positiveNumber(env, 'LOGIN_FAILURE_WINDOW_MINUTES', 15) * MINUTE,
    maxLoginFailuresPerAccount: positiveNumber(env, 'LOGIN_MAX_FAILURES_PER_ACCOUNT', 5),
    maxLoginFailuresPerIp: positiveNumber(env, 'LOGIN_MAX_FAILURES_PER_IP', 50),
    maxResetRequestsPerAccount: positiveNumber(env, 'PASSWORD_RESET_MAX_PER_WINDOW', 3),
    forgotPasswordMinResponseMs: positiveNumber(env, 'FORGOT_PASSWORD_MIN_RESPONSE_MS', 250),
    signingKeyRotationMs: positiveNumber(env, 'SIGNING_KEY_ROTATION_DAYS', 30) * DAY,
    webUrl: env['WEB_URL'] || 'http://localhost:8080',
  };
}
