// Access tokens: the contract with user-service, and their verification.
export {
  ACCESS_TOKEN_ALGORITHM,
  ACCESS_TOKEN_TYPE,
  CLOCK_SKEW_SECONDS,
  MAX_ACCESS_TOKEN_TTL_SECONDS,
  accessTokenAudience,
  accessTokenIssuer,
  type AccessTokenClaims,
} from './lib/access-token/access-token-claims';
export type { Actor } from './lib/access-token/actor';
export type { Clock } from './lib/access-token/clock';
export type { RevocationList } from './lib/access-token/revocation-list';
export { AccessTokenVerifier } from './lib/access-token/access-token-verifier';
export { InvalidAccessTokenError } from './lib/access-token/invalid-access-token.error';
export { SIGNING_KEY_RESOLVER, type SigningKeyResolver } from './lib/keys/signing-key-resolver';
export {
  DEFAULT_JWKS_URL,
  JwksKeyResolver,
  type JwksKeyResolverOptions,
} from './lib/keys/jwks-key-resolver';
export { hasRoleAtLeast } from './lib/roles/roles';

// Service-to-service tokens for /internal routes.
export {
  InvalidServiceTokenError,
  SERVICE_TOKEN_TYPE,
  ServiceTokens,
  type ServiceTokensOptions,
} from './lib/service-tokens/service-tokens';
export { serviceTokenSecret } from './lib/service-tokens/service-token-secret';

// Revoked sessions.
export { authMigrations } from './lib/revocation/revoked-session.migration';
export {
  recordSessionRevocation,
  type SessionRevocation,
} from './lib/revocation/record-session-revocation';
export { SessionRevokedHandler } from './lib/revocation/session-revoked.handler';
export { RevokedSessions, type RevokedSessionsOptions } from './lib/revocation/revoked-sessions';
export { AuthHealthIndicator } from './lib/revocation/auth.health';

// Nest wiring.
export {
  AuthModule,
  type AuthModuleOptions,
  type SigningKeyResolverProvider,
} from './lib/nest/auth.module';
export { AuthGuard } from './lib/nest/auth.guard';
export { InternalOnly, Public, Roles } from './lib/nest/route-access.decorators';
export { CurrentActor, CurrentService } from './lib/nest/current-principal.decorators';
export { currentActor } from './lib/nest/principal';
