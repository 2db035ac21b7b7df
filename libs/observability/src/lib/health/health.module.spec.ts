import { Injectable, Module } from '@nestjs/common';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { bootNestApp } from '../../test-support/boot-nest-app';
import { HealthCheckResult, HealthIndicator } from './health-indicator';
import { HealthModule } from './health.module';

@Injectable()
class UpIndicator implements HealthIndicator {
  readonly name = 'cache';
  async check(): Promise<HealthCheckResult> {
    return { status: 'up', details: { entries: 3 } };
  }
}

@Injectable()
class FailingIndicator implements HealthIndicator {
  readonly name = 'mailer';
  async check(): Promise<HealthCheckResult> {
    return { status: 'down', error: 'SMTP server refused the connection' };
  }
}

@Injectable()
class ThrowingIndicator implements HealthIndicator {
  readonly name = 'search';
  async check(): Promise<HealthCheckResult> {
    throw new Error('index missing');
  }
}

@Injectable()
class HangingIndicator implements HealthIndicator {
  readonly name = 'ledger';
  check(): Promise<HealthCheckResult> {
    return new Promise(() => undefined);
  }
}

/** A dependency that only an imported module provides. */
@Injectable()
class Thermometer {
  readonly celsius = 21;
}

@Module({ providers: [Thermometer], exports: [Thermometer] })
class ThermometerModule {}

@Injectable()
class TemperatureIndicator implements HealthIndicator {
  readonly name = 'temperature';
  constructor(private readonly thermometer: Thermometer) {}
  async check(): Promise<HealthCheckResult> {
    return { status: 'up', details: { celsius: this.thermometer.celsius } };
  }
}

/**
 * Two checks that each wait for the other to have started: they can only
 * both pass when the indicators run at the same time.
 */
const started = new Set<string>();
let wakeUp: (() => void) | undefined;
function rendezvous(name: string, partner: string): Promise<HealthCheckResult> {
  started.add(name);
  wakeUp?.();
  if (started.has(partner)) return Promise.resolve({ status: 'up' });
  return new Promise(
    (resolve) => (wakeUp = () => started.has(partner) && resolve({ status: 'up' })),
  );
}

@Injectable()
class LeftIndicator implements HealthIndicator {
  readonly name = 'left';
  check = () => rendezvous('left', 'right');
}

@Injectable()
class RightIndicator implements HealthIndicator {
  readonly name = 'right';
  check = () => rendezvous('right', 'left');
}

async function bootHealth(
  module: ReturnType<typeof HealthModule.forRoot>,
): Promise<NestFastifyApplication> {
  @Module({ imports: [module] })
  class AppModule {}
  return bootNestApp(AppModule);
}

describe('GET /health', () => {
  let app: NestFastifyApplication | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  it('answers 200 ok with every check up', async () => {
    app = await bootHealth(HealthModule.forRoot({ indicators: [UpIndicator] }));

    const response = await request(app.getHttpServer()).get('/health');

    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      status: 'ok',
      checks: { cache: { status: 'up', details: { entries: 3 } } },
    });
    expect(response.headers['cache-control']).toBe('no-store');
  });

  it('answers 503 error naming the failing check and its cause', async () => {
    app = await bootHealth(HealthModule.forRoot({ indicators: [UpIndicator, FailingIndicator] }));

    const response = await request(app.getHttpServer()).get('/health');

    expect(response.status).toBe(503);
    expect(response.body).toEqual({
      status: 'error',
      checks: {
        cache: { status: 'up', details: { entries: 3 } },
        mailer: { status: 'down', error: 'SMTP server refused the connection' },
      },
    });
  });

  it('counts an indicator that throws as down', async () => {
    app = await bootHealth(HealthModule.forRoot({ indicators: [ThrowingIndicator] }));

    const response = await request(app.getHttpServer()).get('/health');

    expect(response.status).toBe(503);
    expect(response.body.checks.search).toEqual({ status: 'down', error: 'index missing' });
  });

  it('counts an indicator that never answers as down once its timeout passes, and still reports the others', async () => {
    app = await bootHealth(
      HealthModule.forRoot({ indicators: [HangingIndicator, UpIndicator], timeoutMs: 300 }),
    );

    const response = await request(app.getHttpServer()).get('/health');

    expect(response.status).toBe(503);
    expect(response.body.checks).toEqual({
      ledger: { status: 'down', error: 'no answer within 300 ms' },
      cache: { status: 'up', details: { entries: 3 } },
    });
  });

  it('gives each indicator about two seconds by default', async () => {
    app = await bootHealth(HealthModule.forRoot({ indicators: [HangingIndicator] }));

    const response = await request(app.getHttpServer()).get('/health');

    expect(response.status).toBe(503);
    expect(response.body.checks.ledger).toEqual({
      status: 'down',
      error: 'no answer within 2000 ms',
    });
  });

  it('runs the indicators concurrently', async () => {
    app = await bootHealth(
      HealthModule.forRoot({ indicators: [LeftIndicator, RightIndicator], timeoutMs: 5_000 }),
    );

    const response = await request(app.getHttpServer()).get('/health');

    expect(response.body).toEqual({
      status: 'ok',
      checks: { left: { status: 'up' }, right: { status: 'up' } },
    });
  });

  it("resolves an indicator's dependencies from the given imports", async () => {
    app = await bootHealth(
      HealthModule.forRoot({ indicators: [TemperatureIndicator], imports: [ThermometerModule] }),
    );

    const response = await request(app.getHttpServer()).get('/health');

    expect(response.body.checks.temperature).toEqual({ status: 'up', details: { celsius: 21 } });
  });

  it('refuses to start with two indicators of the same name', async () => {
    @Injectable()
    class AnotherCache extends UpIndicator {}

    await expect(
      bootHealth(HealthModule.forRoot({ indicators: [UpIndicator, AnotherCache] })),
    ).rejects.toThrow('two health indicators are named "cache"');
  });
});
