import {
  type DynamicModule,
  type InjectionToken,
  Module,
  type Provider,
  type Type,
} from '@nestjs/common';
import { APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { accessTokenAudience, accessTokenIssuer } from '../access-token/access-token-claims';
import { AccessTokenVerifier } from '../access-token/access-token-verifier';
import { JwksKeyResolver } from '../keys/jwks-key-resolver';
import { SIGNING_KEY_RESOLVER, type SigningKeyResolver } from '../keys/signing-key-resolver';
import { AuthHealthIndicator } from '../revocation/auth.health';
import { RevokedSessions, revocationPollIntervalMs } from '../revocation/revoked-sessions';
import { serviceTokenSecret } from '../service-tokens/service-token-secret';
import { ServiceTokens } from '../service-tokens/service-tokens';
import { AuthGuard } from './auth.guard';
import { PrincipalContextInterceptor } from './principal-context.interceptor';

/** How the app supplies its SigningKeyResolver: a class Nest builds, a factory, or an instance. */
export type SigningKeyResolverProvider =
  | Type<SigningKeyResolver>
  | {
      useFactory: (...deps: never[]) => SigningKeyResolver | Promise<SigningKeyResolver>;
      inject?: InjectionToken[];
    }
  | { useValue: SigningKeyResolver };

export interface AuthModuleOptions {
  /** This service: the audience of the service tokens it accepts, the issuer of those it sends. */
  serviceName: string;
  /** Defaults to JwksKeyResolver (user-service's JWKS at AUTH_JWKS_URL). */
  keyResolver?: SigningKeyResolverProvider;
  revocation?: {
    /** Defaults to AUTH_REVOCATION_POLL_MS, else 2 s. */
    pollIntervalMs?: number;
  };
}

/**
 * Authentication and authorization for a service: the global deny-by-default
 * guard, the actor in scope while a request is handled, service tokens, and the
 * revoked-session list. Needs the app's DatabaseModule (with `authMigrations`).
 * Settings are read when the app boots, so a bad one fails the boot.
 */
@Module({})
export class AuthModule {
  static forService(options: AuthModuleOptions): DynamicModule {
    return {
      module: AuthModule,
      global: true,
      providers: [
        keyResolverProvider(options.keyResolver),
        {
          provide: RevokedSessions,
          useFactory: (dataSource: DataSource) =>
            new RevokedSessions(dataSource, {
              pollIntervalMs: options.revocation?.pollIntervalMs ?? revocationPollIntervalMs(),
            }),
          inject: [DataSource],
        },
        {
          provide: AccessTokenVerifier,
          useFactory: (keys: SigningKeyResolver, revokedSessions: RevokedSessions) =>
            new AccessTokenVerifier(
              keys,
              accessTokenIssuer(),
              accessTokenAudience(),
              revokedSessions,
            ),
          inject: [SIGNING_KEY_RESOLVER, RevokedSessions],
        },
        {
          provide: ServiceTokens,
          useFactory: () =>
            new ServiceTokens({ serviceName: options.serviceName, secret: serviceTokenSecret() }),
        },
        AuthHealthIndicator,
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_INTERCEPTOR, useClass: PrincipalContextInterceptor },
      ],
      exports: [
        SIGNING_KEY_RESOLVER,
        AccessTokenVerifier,
        ServiceTokens,
        RevokedSessions,
        AuthHealthIndicator,
      ],
    };
  }
}

function keyResolverProvider(resolver: SigningKeyResolverProvider | undefined): Provider {
  if (resolver === undefined) {
    return { provide: SIGNING_KEY_RESOLVER, useFactory: () => new JwksKeyResolver() };
  }
  if (typeof resolver === 'function') return { provide: SIGNING_KEY_RESOLVER, useClass: resolver };
  if ('useValue' in resolver) return { provide: SIGNING_KEY_RESOLVER, useValue: resolver.useValue };
  return {
    provide: SIGNING_KEY_RESOLVER,
    useFactory: resolver.useFactory as (...deps: unknown[]) => SigningKeyResolver,
    inject: resolver.inject ?? [],
  };
}
