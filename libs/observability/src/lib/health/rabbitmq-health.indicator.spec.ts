import { Socket, createServer } from 'node:net';
import { Module } from '@nestjs/common';
import request from 'supertest';
import { bootNestApp } from '../../test-support/boot-nest-app';
import { HealthModule } from './health.module';
import { RabbitMqHealthIndicator } from './rabbitmq-health.indicator';

const BROKER_URL = process.env['RABBITMQ_URL'] ?? 'amqp://guest:guest@127.0.0.1:5672';

/** A port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

describe('RabbitMqHealthIndicator', () => {
  it('is up on /health when the real broker accepts a connection', async () => {
    @Module({ imports: [HealthModule.forRoot({ indicators: [RabbitMqHealthIndicator] })] })
    class AppModule {}
    const app = await bootNestApp(AppModule);
    try {
      const response = await request(app.getHttpServer()).get('/health');

      expect(response.status).toBe(200);
      expect(response.body.checks.rabbitmq).toEqual({
        status: 'up',
        details: { checkedAt: expect.any(String) },
      });
    } finally {
      await app.close();
    }
  });

  it('is down, with the cause, when nothing listens at the URL', async () => {
    const indicator = new RabbitMqHealthIndicator({
      url: `amqp://guest:guest@127.0.0.1:${await closedPort()}`,
    });

    const result = await indicator.check();

    expect(result.status).toBe('down');
    expect(result.error).toContain('ECONNREFUSED');
  });

  it('is down when the broker refuses the credentials', async () => {
    const url = new URL(BROKER_URL);
    url.username = 'nobody';
    url.password = 'wrong';
    const indicator = new RabbitMqHealthIndicator({ url: url.toString() });

    const result = await indicator.check();

    expect(result.status).toBe('down');
    expect(result.error).toMatch(/ACCESS.REFUSED|403/);
  });

  it('is down when the peer accepts TCP but never speaks AMQP, within its timeout', async () => {
    const accepted: Socket[] = [];
    const silent = createServer((socket) => accepted.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as { port: number };
    try {
      const indicator = new RabbitMqHealthIndicator({
        url: `amqp://guest:guest@127.0.0.1:${port}`,
        timeoutMs: 300,
      });

      const result = await indicator.check();

      expect(result.status).toBe('down');
    } finally {
      accepted.forEach((socket) => socket.destroy());
      silent.close();
    }
  });

  it('reuses a success instead of opening a connection per probe', async () => {
    const indicator = new RabbitMqHealthIndicator({ url: BROKER_URL, cacheMs: 60_000 });

    const first = await indicator.check();
    const second = await indicator.check();

    expect(first.status).toBe('up');
    expect(second).toBe(first);
  });

  it('lets concurrent probes share one connection attempt', async () => {
    const indicator = new RabbitMqHealthIndicator({ url: BROKER_URL, cacheMs: 0 });

    const results = await Promise.all([indicator.check(), indicator.check(), indicator.check()]);

    expect(results[0].status).toBe('up');
    expect(results[1]).toBe(results[0]);
    expect(results[2]).toBe(results[0]);
  });

  it('does not cache a failure: the next probe tries again', async () => {
    const port = await closedPort();
    const indicator = new RabbitMqHealthIndicator({
      url: `amqp://guest:guest@127.0.0.1:${port}`,
      cacheMs: 60_000,
    });

    const first = await indicator.check();
    const second = await indicator.check();

    expect(first.status).toBe('down');
    expect(second.status).toBe('down');
    expect(second).not.toBe(first);
  });
});
