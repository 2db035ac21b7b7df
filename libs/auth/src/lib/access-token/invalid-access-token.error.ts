/**
 * An access token was refused. `reason` is short and never contains the token
 * or its claims' values, so it is safe to log; clients only ever see a 401.
 */
export class InvalidAccessTokenError extends Error {
  constructor(readonly reason: string) {
    super(`Invalid access token: ${reason}`);
    this.name = 'InvalidAccessTokenError';
  }
}
