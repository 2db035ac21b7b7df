import type { RequestContext } from '@helpdesk/observability';
import type { FastifyRequest } from 'fastify';

/**
 * An HTTP request is its own correlation: downstream events carry its id, and
 * the client's address (as the local gateway reported it) and user agent.
 */
export function requestContextOf(request: FastifyRequest): RequestContext {
  const userAgent = request.headers['user-agent'];
  return {
    requestId: request.id,
    correlationId: request.id,
    clientIp: request.ip ? request.ip.slice(0, 64) : null,
    userAgent:
      typeof userAgent === 'string' && userAgent.length > 0 ? userAgent.slice(0, 512) : null,
  };
}

/** The URL without its query string, which may hold tokens (`?token=` links) that must not reach logs. */
export function requestPath(request: FastifyRequest): string {
  const queryStart = request.url.indexOf('?');
  return queryStart === -1 ? request.url : request.url.slice(0, queryStart);
}
