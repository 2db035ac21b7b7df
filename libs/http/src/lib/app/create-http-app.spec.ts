import { request as httpRequest } from 'node:http';
import {
  Body,
  Controller,
  Get,
  HttpCode,
  Logger,
  MiddlewareConsumer,
  Module,
  NestModule,
  NotFoundException,
  Param,
  Post,
} from '@nestjs/common';
import { HealthModule } from '@helpdesk/observability';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { IsOptional, IsString } from 'class-validator';
import request from 'supertest';
import { BootedApp, bootApp } from '../../test-support/boot-app';
import { listen } from './create-http-app';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

class CreateWidgetDto {
  @IsString()
  name!: string;

  @IsOptional()
  @IsString()
  notes?: string;
}

@Controller('widgets')
class WidgetsController {
  private readonly logger = new Logger(WidgetsController.name);

  @Get(':id')
  async findOne(@Param('id') id: string): Promise<{ id: string }> {
    await new Promise((resolve) => setImmediate(resolve));
    if (id === 'missing') throw new NotFoundException(`Widget ${id} not found`);
    this.logger.log(`widget ${id} read`);
    return { id };
  }

  @Post()
  async create(@Body() body: CreateWidgetDto): Promise<{ name: string }> {
    await new Promise((resolve) => setTimeout(resolve, 1));
    this.logger.log(`widget ${body.name} created`);
    return { name: body.name };
  }

  @Post('explode')
  explode(): never {
    throw new Error('database password is hunter2');
  }

  @Post('touch')
  @HttpCode(204)
  touch(): void {
    return;
  }
}

/** Set by a test that needs to know the server has read a request's headers (its body may still be on the way). */
let onHeadersSeen: (() => void) | undefined;

@Module({ imports: [HealthModule.forRoot({ indicators: [] })], controllers: [WidgetsController] })
class WidgetsModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer
      .apply((_request: unknown, _reply: unknown, next: () => void) => {
        onHeadersSeen?.();
        next();
      })
      .forRoutes(WidgetsController);
  }
}

/** The value of the sample `name{labels}` in Prometheus text, or undefined when absent. */
function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  const wanted = Object.entries(labels).map(([key, value]) => `${key}="${value}"`);
  const line = text
    .split('\n')
    .find(
      (candidate) =>
        candidate.startsWith(`${name}{`) && wanted.every((pair) => candidate.includes(pair)),
    );
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

describe('createHttpApp', () => {
  let booted: BootedApp;
  let app: NestFastifyApplication;
  const http = () => request(app.getHttpServer());

  beforeAll(async () => {
    booted = await bootApp(WidgetsModule, 'widget-service');
    app = booted.app;
  });
  afterAll(() => app.close());

  describe('X-Request-ID', () => {
    it('is generated (a UUID) when the client sends none', async () => {
      const response = await http().get('/api/v1/widgets/1');

      expect(response.status).toBe(200);
      expect(response.headers['x-request-id']).toMatch(UUID_V4);
    });

    it("echoes the client's id", async () => {
      const response = await http()
        .get('/api/v1/widgets/1')
        .set('X-Request-ID', 'client-trace.42:abc');

      expect(response.headers['x-request-id']).toBe('client-trace.42:abc');
    });

    it.each([
      ['contains spaces', 'id with spaces'],
      ['contains quotes and braces', 'x"}{"level":"fatal'],
      ['is longer than 128 characters', 'a'.repeat(129)],
    ])('replaces a client id that %s with a fresh UUID', async (_why, clientId) => {
      const response = await http().get('/api/v1/widgets/1').set('X-Request-ID', clientId);

      expect(response.headers['x-request-id']).toMatch(UUID_V4);
    });

    it.each<[string, number, () => request.Test]>([
      ['a 404 from a handler', 404, () => http().get('/api/v1/widgets/missing')],
      ['a 404 for an unknown route', 404, () => http().get('/api/v1/nowhere')],
      ['a 400 validation failure', 400, () => http().post('/api/v1/widgets').send({ name: 7 })],
      [
        'a 400 malformed JSON body',
        400,
        () => http().post('/api/v1/widgets').type('json').send('{"name":'),
      ],
      [
        'a 413 oversized body',
        413,
        () =>
          http()
            .post('/api/v1/widgets')
            .send({ name: 'x'.repeat(1024 * 1024) }),
      ],
      [
        'a 415 unsupported body',
        415,
        () => http().post('/api/v1/widgets').type('text/plain').send('name'),
      ],
      ['a 500 unexpected failure', 500, () => http().post('/api/v1/widgets/explode')],
      ['a 400 malformed URL', 400, () => http().get('/api/v1/widgets/%E0%A4%A')],
      ['/health', 200, () => http().get('/health')],
      ['/metrics', 200, () => http().get('/metrics')],
    ])('is echoed on %s', async (_what, status, send) => {
      const response = await send().set('X-Request-ID', 'echo-me-1');

      expect(response.status).toBe(status);
      expect(response.headers['x-request-id']).toBe('echo-me-1');
    });
  });

  describe('logs', () => {
    it('are JSON lines naming the service, and those written while handling a request carry its ids', async () => {
      await http().get('/api/v1/widgets/77').set('X-Request-ID', 'log-check-get').expect(200);
      // A body large enough to arrive over several socket reads, so parsing it ends outside the request's own callbacks.
      const notes = 'n'.repeat(600_000);
      await http()
        .post('/api/v1/widgets')
        .set('X-Request-ID', 'log-check-post')
        .send({ name: 'gear', notes })
        .expect(201);

      for (const line of booted.logs.raw) expect(() => JSON.parse(line)).not.toThrow();
      expect(booted.logs.lines).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            msg: 'widget 77 read',
            context: 'WidgetsController',
            service: 'widget-service',
            requestId: 'log-check-get',
            correlationId: 'log-check-get',
          }),
          // After body parsing and an await: the context survived both.
          expect.objectContaining({
            msg: 'widget gear created',
            requestId: 'log-check-post',
            correlationId: 'log-check-post',
          }),
          expect.objectContaining({
            msg: 'request completed',
            requestId: 'log-check-get',
            method: 'GET',
            route: '/api/v1/widgets/:id',
            path: '/api/v1/widgets/77',
            statusCode: 200,
          }),
        ]),
      );
    });

    it('carry the request ids even when the body arrives after the server has started on the request', async () => {
      const late = await bootApp(WidgetsModule, 'late-body-service');
      try {
        const url = new URL(await listen(late.app, 0, '127.0.0.1'));
        const headersSeen = new Promise<void>((resolve) => (onHeadersSeen = resolve));
        const body = JSON.stringify({ name: 'late' });

        const status = await new Promise<number | undefined>((resolve, reject) => {
          const outgoing = httpRequest(
            {
              host: url.hostname,
              port: url.port,
              method: 'POST',
              path: '/api/v1/widgets',
              headers: {
                'content-type': 'application/json',
                'content-length': Buffer.byteLength(body),
                'x-request-id': 'late-body-1',
              },
            },
            (incoming) => {
              incoming.resume();
              resolve(incoming.statusCode);
            },
          );
          outgoing.on('error', reject);
          outgoing.flushHeaders();
          void headersSeen.then(() => outgoing.end(body));
        });

        expect(status).toBe(201);
        expect(late.logs.lines).toContainEqual(
          expect.objectContaining({
            msg: 'widget late created',
            requestId: 'late-body-1',
            correlationId: 'late-body-1',
          }),
        );
      } finally {
        onHeadersSeen = undefined;
        await late.app.close();
      }
    });

    it('record an unexpected error with its stack and the request id, which the client quotes', async () => {
      const response = await http()
        .post('/api/v1/widgets/explode')
        .set('X-Request-ID', 'explode-1');

      const errorLine = booted.logs.lines.find(
        (line) => line['level'] === 'error' && line['requestId'] === 'explode-1',
      );
      expect(errorLine).toMatchObject({
        msg: 'request failed',
        err: { message: 'database password is hunter2' },
      });
      expect(String((errorLine?.['err'] as { stack: string }).stack)).toContain(
        'WidgetsController.explode',
      );
      expect(response.headers['x-request-id']).toBe('explode-1');
    });

    it('keep query strings (which may hold tokens) out of the access log', async () => {
      await http()
        .get('/api/v1/widgets/5?token=secret-reset-token')
        .set('X-Request-ID', 'query-1')
        .expect(200);

      const access = booted.logs.lines.find(
        (line) => line['requestId'] === 'query-1' && line['msg'] === 'request completed',
      );
      expect(access?.['path']).toBe('/api/v1/widgets/5');
      expect(booted.logs.raw.join('\n')).not.toContain('secret-reset-token');
    });

    it("take the client address from the local gateway's X-Forwarded-For", async () => {
      await http()
        .get('/api/v1/widgets/5')
        .set('X-Request-ID', 'xff-1')
        .set('X-Forwarded-For', '203.0.113.7')
        .expect(200);

      const access = booted.logs.lines.find(
        (line) => line['requestId'] === 'xff-1' && line['msg'] === 'request completed',
      );
      expect(access?.['remoteAddress']).toBe('203.0.113.7');
    });
  });

  describe('routes', () => {
    it('serves the API under /api/v1 and health, metrics and docs at the root only', async () => {
      await http().get('/api/v1/widgets/1').expect(200);
      await http().get('/widgets/1').expect(404);
      await http().get('/health').expect(200, { status: 'ok', checks: {} });
      await http().get('/api/v1/health').expect(404);
      await http().get('/metrics').expect(200);
      await http().get('/api/v1/metrics').expect(404);
      await http().get('/openapi.json').expect(200);
      await http()
        .get('/docs')
        .expect(200)
        .expect('content-type', /text\/html/);
      await http().get('/api/v1/openapi.json').expect(404);
    });

    it('treats an empty body labelled JSON as no body', async () => {
      await http()
        .post('/api/v1/widgets/touch')
        .set('Content-Type', 'application/json')
        .expect(204);
    });
  });

  describe('metrics', () => {
    it('count a request under its route template, never the raw URL', async () => {
      await http().get('/api/v1/widgets/metric-a').expect(200);
      await http().get('/api/v1/widgets/metric-b').expect(200);

      const { text } = await http().get('/metrics').expect(200);

      const labels = {
        method: 'GET',
        route: '/api/v1/widgets/:id',
        status_code: '200',
        service: 'widget-service',
      };
      expect(sample(text, 'http_requests_total', labels)).toBeGreaterThanOrEqual(2);
      expect(sample(text, 'http_request_duration_seconds_count', labels)).toBeGreaterThanOrEqual(2);
      expect(text).not.toContain('metric-a');
    });

    it('count 5xx answers as errors', async () => {
      const route = { method: 'POST', route: '/api/v1/widgets/explode', status_code: '500' };
      const before =
        sample((await http().get('/metrics')).text, 'http_request_errors_total', route) ?? 0;

      await http().post('/api/v1/widgets/explode').expect(500);

      const after = sample((await http().get('/metrics')).text, 'http_request_errors_total', route);
      expect(after).toBe(before + 1);
    });

    it('file unknown routes under one label', async () => {
      await http().get('/api/v1/no/such/route/12345').expect(404);

      const { text } = await http().get('/metrics');

      expect(
        sample(text, 'http_requests_total', { route: 'unmatched', status_code: '404' }),
      ).toBeGreaterThanOrEqual(1);
      expect(text).not.toContain('12345');
    });

    it('belong to the app: another app in the same process has its own', async () => {
      const other = await bootApp(WidgetsModule, 'other-service');
      try {
        await request(other.app.getHttpServer()).get('/api/v1/widgets/1').expect(200);

        const mine = await http().get('/metrics');
        const theirs = await request(other.app.getHttpServer()).get('/metrics');

        expect(
          sample(theirs.text, 'http_requests_total', {
            route: '/api/v1/widgets/:id',
            service: 'other-service',
          }),
        ).toBe(1);
        expect(mine.text).not.toContain('other-service');
        expect(theirs.text).not.toContain('widget-service');
      } finally {
        await other.app.close();
      }
    });
  });

  describe('OpenAPI', () => {
    it('documents the app routes with the service title, bearer auth, server "/" and the problem schema', async () => {
      const { body: document } = await http().get('/openapi.json').expect(200);

      expect(document.info.title).toBe('widget-service');
      expect(document.servers).toEqual([{ url: '/' }]);
      expect(document.components.securitySchemes.bearer).toMatchObject({
        type: 'http',
        scheme: 'bearer',
      });
      expect(Object.keys(document.paths)).toEqual(
        expect.arrayContaining(['/api/v1/widgets/{id}', '/api/v1/widgets']),
      );
      expect(Object.keys(document.paths)).not.toContain('/health');
      expect(Object.keys(document.paths)).not.toContain('/metrics');
      expect(document.components.schemas.Problem.required).toEqual([
        'type',
        'title',
        'status',
        'detail',
      ]);
      expect(
        document.paths['/api/v1/widgets'].post.responses.default.content['application/problem+json']
          .schema,
      ).toEqual({
        $ref: '#/components/schemas/Problem',
      });
    });
  });

  describe('server', () => {
    it('keeps idle connections open longer than the gateway does (nginx: 60 s)', () => {
      expect(app.getHttpServer().keepAliveTimeout).toBe(65_000);
    });

    it('listens when asked to, and not before', async () => {
      const other = await bootApp(WidgetsModule, 'listening-service');
      try {
        expect(other.app.getHttpServer().listening).toBe(false);

        const url = await listen(other.app, 0, '127.0.0.1');

        const response = await fetch(`${url}/health`);
        expect(response.status).toBe(200);
      } finally {
        await other.app.close();
      }
    });
  });
});
