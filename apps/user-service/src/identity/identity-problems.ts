import { ProblemException } from '@helpdesk/http';

/**
 * One answer for every refused sign-in: unknown organization, unknown e-mail,
 * wrong password, no password set yet, deactivated. Telling them apart would
 * tell an attacker which accounts exist.
 */
export function invalidCredentials(): ProblemException {
  return new ProblemException(401, 'The organization, e-mail or password is not right.');
}

export function invalidRefreshToken(): ProblemException {
  return new ProblemException(
    401,
    'The refresh token is not valid (expired, used or revoked); sign in again.',
  );
}

export function tooManyAttempts(retryAfterSeconds: number): ProblemException {
  return new ProblemException(429, 'Too many failed sign-in attempts; try again later.', {
    headers: { 'Retry-After': String(Math.max(1, Math.ceil(retryAfterSeconds))) },
  });
}

/** 400 naming the password field, with the policy's reason. */
export function weakPassword(field: string, problem: string): ProblemException {
  return ProblemException.invalidField(field, problem);
}
