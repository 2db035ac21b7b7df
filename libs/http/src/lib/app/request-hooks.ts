import { HttpMetrics, REQUEST_ID_HEADER, runWithContext } from '@helpdesk/observability';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { requestContextOf, requestPath } from './request-context';

/** Probes and scrapes arrive every few seconds; at info they would drown the traffic that matters. */
const QUIET_ROUTES = new Set(['/health', '/metrics']);

/**
 * Per request: echo the request id (set first, so every answer carries it,
 * errors included), run the request in its logging context, and on
 * completion record metrics and one access-log line.
 */
export function installRequestHooks(
  fastify: FastifyInstance,
  logger: Logger,
  metrics: HttpMetrics,
): void {
  // The rest of the request runs inside this call: Fastify carries the async
  // context through body parsing (its parser callbacks are AsyncResource-bound).
  fastify.addHook('onRequest', (request, reply, done) => {
    reply.header(REQUEST_ID_HEADER, request.id);
    runWithContext(requestContextOf(request), done);
  });

  fastify.addHook('onResponse', (request, reply, done) => {
    const route = request.is404 ? undefined : request.routeOptions.url;
    metrics.observe({
      method: request.method,
      route,
      statusCode: reply.statusCode,
      durationSeconds: reply.elapsedTime / 1000,
    });
    const level = route !== undefined && QUIET_ROUTES.has(route) ? 'debug' : 'info';
    runWithContext(requestContextOf(request), () =>
      logger[level](
        {
          method: request.method,
          path: requestPath(request),
          route,
          statusCode: reply.statusCode,
          durationMs: Math.round(reply.elapsedTime * 10) / 10,
          remoteAddress: request.ip,
        },
        'request completed',
      ),
    );
    done();
  });
}
