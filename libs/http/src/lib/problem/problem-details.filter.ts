import { ArgumentsHost, Catch, ExceptionFilter, HttpException } from '@nestjs/common';
import { RuleViolation } from '@helpdesk/domain';
import { currentContext, runWithContext } from '@helpdesk/observability';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { requestContextOf, requestPath } from '../app/request-context';
import { PROBLEM_CONTENT_TYPE, ProblemDetails, ProblemException, reasonPhrase } from './problem';

const INTERNAL_ERROR_DETAIL =
  'The server could not complete the request. It has been logged under the X-Request-ID of this answer.';

/**
 * Every error — Nest's HttpExceptions, validation failures, Fastify's own
 * errors (bad JSON, wrong content type, body too large), unknown routes and
 * unexpected failures — answers `application/problem+json`. 5xx details are
 * never shown unless the thrower wrote them for the client (ProblemException);
 * the error itself is logged with the request id.
 */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  constructor(private readonly logger: Logger) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const problem = toProblem(exception, requestPath(request));
    if (problem.status >= 500) {
      runWithContext(currentContext() ?? requestContextOf(request), () =>
        this.logger.error(
          {
            err: exception,
            method: request.method,
            path: requestPath(request),
            statusCode: problem.status,
          },
          'request failed',
        ),
      );
    }
    if (reply.sent) return; // a streamed answer already went out; the log above is all that can be done
    if (exception instanceof ProblemException)
      for (const [name, value] of Object.entries(exception.headers)) reply.header(name, value);
    sendProblem(reply, problem);
  }
}

export function sendProblem(reply: FastifyReply, problem: ProblemDetails): void {
  reply
    .status(problem.status)
    .header('content-type', `${PROBLEM_CONTENT_TYPE}; charset=utf-8`)
    .send(JSON.stringify(problem));
}

/** How the domain's kinds of "no" are said in HTTP. */
const RULE_STATUS = { conflict: 409, forbidden: 403, invalid: 400 } as const;

export function toProblem(exception: unknown, instance: string): ProblemDetails {
  if (exception instanceof ProblemException) return exception.toProblem(instance);
  if (exception instanceof RuleViolation)
    return new ProblemException(RULE_STATUS[exception.kind], exception.message, {
      ...(exception.field
        ? { errors: [{ field: exception.field, message: exception.message }] }
        : {}),
    }).toProblem(instance);
  const status = statusOf(exception);
  const detail = status >= 500 ? INTERNAL_ERROR_DETAIL : clientDetailOf(exception);
  return { type: 'about:blank', title: reasonPhrase(status), status, detail, instance };
}

function statusOf(exception: unknown): number {
  if (exception instanceof HttpException) return exception.getStatus();
  if (isFastifyClientError(exception)) return exception.statusCode;
  return 500;
}

/** Fastify's own request errors (FST_ERR_CTP_*, …) are written for the client; anything else with a status is not trusted. */
function isFastifyClientError(
  exception: unknown,
): exception is Error & { statusCode: number; code: string } {
  if (!(exception instanceof Error)) return false;
  const { statusCode, code } = exception as Error & { statusCode?: unknown; code?: unknown };
  return (
    typeof code === 'string' &&
    code.startsWith('FST_') &&
    typeof statusCode === 'number' &&
    statusCode >= 400 &&
    statusCode < 500
  );
}

function clientDetailOf(exception: unknown): string {
  if (exception instanceof HttpException) {
    const response = exception.getResponse();
    if (typeof response === 'string') return response;
    const message = (response as { message?: unknown }).message;
    if (typeof message === 'string') return message;
    if (Array.isArray(message)) return message.map(String).join('; ');
    return exception.message;
  }
  return exception instanceof Error ? exception.message : reasonPhrase(400);
}
