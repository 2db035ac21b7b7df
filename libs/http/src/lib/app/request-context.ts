import type { RequestContext } from '@helpdesk/observability';
import type { FastifyRequest } from 'fastify';

/** An HTTP request is its own correlation: downstream events carry its id. */
export function requestContextOf(request: FastifyRequest): RequestContext {
  return { requestId: request.id, correlationId: request.id };
}

/** The URL without its query string, which may hold tokens (`?token=` links) that must not reach logs. */
export function requestPath(request: FastifyRequest): string {
  const queryStart = request.url.indexOf('?');
  return queryStart === -1 ? request.url : request.url.slice(0, queryStart);
}
