import { Controller, Get, Module } from '@nestjs/common';
import request from 'supertest';
import { Counter, Registry } from 'prom-client';
import { bootNestApp } from '../../test-support/boot-nest-app';
import { HttpMetrics, UNMATCHED_ROUTE, createMetricsRegistry } from './http-metrics';
import { MetricsModule } from './metrics.module';

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

describe('HttpMetrics', () => {
  it('counts requests and records their duration by method, route template and status, labelled with the service', async () => {
    const registry = createMetricsRegistry('ticket-service');
    const metrics = new HttpMetrics(registry);

    metrics.observe({
      method: 'GET',
      route: '/api/v1/tickets/:id',
      statusCode: 200,
      durationSeconds: 0.012,
    });
    metrics.observe({
      method: 'GET',
      route: '/api/v1/tickets/:id',
      statusCode: 200,
      durationSeconds: 0.3,
    });
    const text = await registry.metrics();

    const labels = {
      method: 'GET',
      route: '/api/v1/tickets/:id',
      status_code: '200',
      service: 'ticket-service',
    };
    expect(sample(text, 'http_requests_total', labels)).toBe(2);
    expect(sample(text, 'http_request_duration_seconds_count', labels)).toBe(2);
    expect(sample(text, 'http_request_duration_seconds_sum', labels)).toBeCloseTo(0.312);
    expect(sample(text, 'http_request_duration_seconds_bucket', { ...labels, le: '0.025' })).toBe(
      1,
    );
  });

  it('counts 5xx answers as errors, and nothing else', async () => {
    const registry = createMetricsRegistry('svc');
    const metrics = new HttpMetrics(registry);

    metrics.observe({
      method: 'POST',
      route: '/api/v1/tickets',
      statusCode: 201,
      durationSeconds: 0.01,
    });
    metrics.observe({
      method: 'POST',
      route: '/api/v1/tickets',
      statusCode: 409,
      durationSeconds: 0.01,
    });
    metrics.observe({
      method: 'POST',
      route: '/api/v1/tickets',
      statusCode: 503,
      durationSeconds: 0.01,
    });
    const text = await registry.metrics();

    const route = { method: 'POST', route: '/api/v1/tickets' };
    expect(sample(text, 'http_request_errors_total', { ...route, status_code: '503' })).toBe(1);
    expect(
      sample(text, 'http_request_errors_total', { ...route, status_code: '409' }),
    ).toBeUndefined();
    expect(
      sample(text, 'http_request_errors_total', { ...route, status_code: '201' }),
    ).toBeUndefined();
  });

  it('files requests that matched no route under one fixed label', async () => {
    const registry = createMetricsRegistry('svc');
    new HttpMetrics(registry).observe({
      method: 'GET',
      route: undefined,
      statusCode: 404,
      durationSeconds: 0.001,
    });

    const text = await registry.metrics();

    expect(
      sample(text, 'http_requests_total', { route: UNMATCHED_ROUTE, status_code: '404' }),
    ).toBe(1);
  });

  it('gives each app its own registry, with default process metrics', async () => {
    const first = createMetricsRegistry('first');
    const second = createMetricsRegistry('second');
    new HttpMetrics(first).observe({
      method: 'GET',
      route: '/a',
      statusCode: 200,
      durationSeconds: 0.001,
    });
    new HttpMetrics(second);

    const [firstText, secondText] = await Promise.all([first.metrics(), second.metrics()]);

    expect(sample(firstText, 'http_requests_total', { route: '/a', service: 'first' })).toBe(1);
    expect(sample(secondText, 'http_requests_total', { route: '/a' })).toBeUndefined();
    expect(
      sample(secondText, 'process_cpu_user_seconds_total', { service: 'second' }),
    ).toBeGreaterThanOrEqual(0);
  });
});

@Controller('probe')
class ProbeController {
  private readonly hits: Counter;
  constructor(registry: Registry) {
    this.hits = new Counter({
      name: 'probe_hits_total',
      help: 'Probe hits.',
      registers: [registry],
    });
  }

  @Get()
  hit(): string {
    this.hits.inc();
    return 'ok';
  }
}

describe('MetricsModule', () => {
  it('serves GET /metrics in Prometheus text, including metrics the app registers itself', async () => {
    @Module({
      imports: [MetricsModule.forRoot({ serviceName: 'svc' })],
      controllers: [ProbeController],
    })
    class AppModule {}
    const app = await bootNestApp(AppModule);
    try {
      app
        .get(HttpMetrics)
        .observe({ method: 'GET', route: '/probe', statusCode: 200, durationSeconds: 0.002 });
      await request(app.getHttpServer()).get('/probe').expect(200);

      const response = await request(app.getHttpServer()).get('/metrics');

      expect(response.status).toBe(200);
      expect(response.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
      expect(
        sample(response.text, 'http_requests_total', { route: '/probe', service: 'svc' }),
      ).toBe(1);
      expect(response.text).toMatch(/^probe_hits_total\{service="svc"\} 1$/m);
    } finally {
      await app.close();
    }
  });
});
