import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';

/** Where a request came from, as recorded on sessions and sign-in events. */
export interface ClientInfo {
  ip: string | null;
  userAgent: string | null;
}

/** `request.ip` is the client behind the local gateway (createHttpApp trusts only loopback proxies). */
export const Client = createParamDecorator(
  (_data: unknown, context: ExecutionContext): ClientInfo => {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const userAgent = request.headers['user-agent'];
    return {
      ip: request.ip ? request.ip.slice(0, 64) : null,
      userAgent:
        typeof userAgent === 'string' && userAgent.length > 0 ? userAgent.slice(0, 512) : null,
    };
  },
);
