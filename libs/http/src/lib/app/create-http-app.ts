import { Module, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import {
  HttpMetrics,
  MetricsModule,
  PinoLoggerService,
  REQUEST_ID_HEADER,
  createLogger,
  resolveRequestId,
} from '@helpdesk/observability';
import type { FastifyInstance, FastifyServerOptions } from 'fastify';
import type { DestinationStream } from 'pino';
import { ProblemDetailsFilter, sendProblem, toProblem } from '../problem/problem-details.filter';
import { ProblemException } from '../problem/problem';
import { createValidationPipe } from '../validation/validation-pipe';
import { OpenApiOptions, setUpOpenApi } from './openapi';
import { requestPath } from './request-context';
import { installRequestHooks } from './request-hooks';

export const API_PREFIX = 'api/v1';

/** Served at the root: probes, scrapers and API readers call the app directly, not through the gateway. */
const ROOT_ROUTES = ['health', 'metrics'];

/** Above nginx's upstream keepalive_timeout (60 s): the gateway, not the app, must be the one to close an idle connection, or a request sent as the app closes is reset. */
const KEEP_ALIVE_TIMEOUT_MS = 65_000;

const BODY_LIMIT_BYTES = 1024 * 1024;

export interface HttpAppOptions {
  /** Names the service in logs (`service`), metrics (`service` label) and, by default, the OpenAPI title. */
  serviceName: string;
  openApi?: OpenApiOptions;
  /**
   * More routes served at the root instead of under /api/v1, beside /health
   * and /metrics: e.g. `.well-known/jwks.json`, which verifiers expect there.
   */
  rootRoutes?: string[];
  /** Mainly for tests; by default LOG_LEVEL and stdout. */
  logging?: { level?: string; destination?: DestinationStream };
}

/**
 * The service's Nest application on Fastify with the platform's HTTP
 * conventions wired in (see this library's README). Initialised, not listening.
 */
export async function createHttpApp(
  rootModule: Type<unknown>,
  options: HttpAppOptions,
): Promise<NestFastifyApplication> {
  const logger = createLogger({ serviceName: options.serviceName, ...options.logging });
  const fastifyOptions: FastifyServerOptions = {
    // Only the local gateway may say who the client is (X-Forwarded-For).
    trustProxy: process.env['TRUST_PROXY'] ?? 'loopback',
    keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS,
    bodyLimit: BODY_LIMIT_BYTES,
    // Fastify's default (100) answers longer path parameters with 414; audit trails are
    // addressed by ids of up to 200 characters (an e-mail for a failed login of nobody).
    routerOptions: { maxParamLength: 512 },
    genReqId: (request) => resolveRequestId(request.headers[REQUEST_ID_HEADER]),
    // Errors Fastify meets before any hook runs (a malformed URL): still a problem, still with the id.
    frameworkErrors: (error, request, reply) => {
      reply.header(REQUEST_ID_HEADER, request.id);
      sendProblem(reply, toProblem(error, requestPath(request)));
    },
  };
  const adapter = new FastifyAdapter(fastifyOptions);
  const app = await NestFactory.create<NestFastifyApplication>(
    {
      module: HttpApplicationModule,
      imports: [MetricsModule.forRoot({ serviceName: options.serviceName }), rootModule],
    },
    adapter,
    { logger: new PinoLoggerService(logger), bodyParser: false, abortOnError: false },
  );
  const fastify = app.getHttpAdapter().getInstance();
  acceptJsonBodiesOnly(fastify);
  installRequestHooks(fastify, logger, app.get(HttpMetrics));
  app.setGlobalPrefix(API_PREFIX, { exclude: [...ROOT_ROUTES, ...(options.rootRoutes ?? [])] });
  app.useGlobalFilters(new ProblemDetailsFilter(logger));
  app.useGlobalPipes(createValidationPipe());
  app.enableShutdownHooks();
  await setUpOpenApi(app, options.serviceName, options.openApi);
  await app.init();
  await fastify.ready();
  // Node's headers timeout must not cut an idle keep-alive connection before keepAliveTimeout does.
  app.getHttpServer().headersTimeout = KEEP_ALIVE_TIMEOUT_MS + 1_000;
  return app;
}

/** Starts accepting connections on HOST (default all interfaces); returns the URL. */
export async function listen(
  app: NestFastifyApplication,
  port: number,
  host = process.env['HOST'] ?? '0.0.0.0',
): Promise<string> {
  await app.listen(port, host);
  return app.getUrl();
}

@Module({})
class HttpApplicationModule {}

/**
 * The API speaks JSON only: any other body is a 415 that says so. An empty
 * body labelled JSON counts as no body — clients often send the header on
 * body-less actions (`POST /auth/logout`); a DTO still reports its missing fields.
 */
function acceptJsonBodiesOnly(fastify: FastifyInstance): void {
  const parseJson = fastify.getDefaultJsonParser('error', 'error');
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    if (body === '') done(null, undefined);
    else parseJson(request, String(body), done);
  });
  fastify.addContentTypeParser('*', (_request, _payload, done) =>
    done(new ProblemException(415, 'Send the request body as application/json.'), undefined),
  );
}
