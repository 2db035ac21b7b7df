import {
  type CanActivate,
  type ExecutionContext,
  ForbiddenException,
  Injectable,
  Logger,
  UnauthorizedException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Role } from '@helpdesk/contracts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AccessTokenVerifier } from '../access-token/access-token-verifier';
import { InvalidAccessTokenError } from '../access-token/invalid-access-token.error';
import { hasRoleAtLeast } from '../roles/roles';
import { InvalidServiceTokenError, ServiceTokens } from '../service-tokens/service-tokens';
import { isGuardedPath } from './guarded-paths';
import { setPrincipal } from './principal';
import { INTERNAL_ONLY_ROUTE, MINIMUM_ROLE, PUBLIC_ROUTE } from './route-access.decorators';

/** `Bearer <token>`; the token charset is RFC 6750's b64token. */
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;

/**
 * Deny by default: every route under /api/v1 and /internal needs a valid
 * token unless it is `@Public()`. User routes take an access token only,
 * `@InternalOnly()` routes a service token only; `@Roles(min)` is checked
 * after the token. Registered globally by AuthModule.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  private readonly logger = new Logger(AuthGuard.name);

  constructor(
    private readonly reflector: Reflector,
    private readonly accessTokens: AccessTokenVerifier,
    private readonly serviceTokens: ServiceTokens,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    // Message and event handlers are not HTTP requests; the bus is trusted infrastructure.
    if (context.getType() !== 'http') return true;
    const http = context.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const routePath = request.routeOptions?.url ?? request.url.split('?')[0] ?? '';
    if (!isGuardedPath(routePath)) return true;

    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(INTERNAL_ONLY_ROUTE, targets)) {
      const token = this.bearerToken(request, reply);
      try {
        setPrincipal(request, { kind: 'service', serviceName: this.serviceTokens.verify(token) });
      } catch (error) {
        if (error instanceof InvalidServiceTokenError) throw this.unauthorized(reply, error.reason);
        throw error;
      }
      return true;
    }
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) return true;

    const token = this.bearerToken(request, reply);
    let actor;
    try {
      actor = await this.accessTokens.verify(token);
    } catch (error) {
      if (error instanceof InvalidAccessTokenError) throw this.unauthorized(reply, error.reason);
      throw error;
    }
    const minimum = this.reflector.getAllAndOverride<Role | undefined>(MINIMUM_ROLE, targets);
    if (minimum && !hasRoleAtLeast(actor.role, minimum)) {
      throw new ForbiddenException(`This action needs the ${minimum} role or higher.`);
    }
    setPrincipal(request, { kind: 'user', actor });
    return true;
  }

  private bearerToken(request: FastifyRequest, reply: FastifyReply): string {
    const header = request.headers.authorization;
    const match = typeof header === 'string' ? BEARER.exec(header) : null;
    if (!match?.[1]) {
      // RFC 6750 §3.1: no error code when the request carried no credentials.
      reply.header('www-authenticate', 'Bearer');
      throw new UnauthorizedException('A bearer token is required.');
    }
    return match[1];
  }

  private unauthorized(reply: FastifyReply, reason: string): UnauthorizedException {
    this.logger.debug(`token refused: ${reason}`);
    reply.header('www-authenticate', 'Bearer error="invalid_token"');
    return new UnauthorizedException('The token is invalid or has expired.');
  }
}
