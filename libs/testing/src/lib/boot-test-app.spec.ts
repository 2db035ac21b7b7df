import { Controller, Get, Module, Param } from '@nestjs/common';
import { DatabaseHealthIndicator, DatabaseModule } from '@helpdesk/database';
import { HealthModule } from '@helpdesk/observability';
import { bootTestApp } from './boot-test-app';
import { eventually } from './eventually';
import { createTestDatabase } from './test-database';

@Controller('greetings')
class GreetingsController {
  @Get(':name')
  greet(@Param('name') name: string): { greeting: string } {
    return { greeting: `${process.env['GREETING_WORD'] ?? 'Hello'}, ${name}` };
  }
}

@Module({ controllers: [GreetingsController] })
class GreetingsModule {}

describe('bootTestApp', () => {
  it('serves the module’s routes under the production prefix, without listening on a port', async () => {
    const { app, http, close } = await bootTestApp(GreetingsModule, {
      serviceName: 'greetings-service',
    });
    try {
      const response = await http.get('/api/v1/greetings/ada').expect(200);

      expect(response.body).toEqual({ greeting: 'Hello, ada' });
      expect(app.getHttpServer().listening).toBe(false);
    } finally {
      await close();
    }
  });

  it('answers with the production error format', async () => {
    const { http, close } = await bootTestApp(GreetingsModule, {
      serviceName: 'greetings-service',
    });
    try {
      const response = await http.get('/api/v1/no-such-route').expect(404);

      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.body).toMatchObject({ status: 404 });
    } finally {
      await close();
    }
  });

  it('applies env for the app’s lifetime and restores it on close', async () => {
    delete process.env['GREETING_WORD'];
    const { http, close } = await bootTestApp(GreetingsModule, {
      serviceName: 'greetings-service',
      env: { GREETING_WORD: 'Ahoy' },
    });

    const response = await http.get('/api/v1/greetings/grace').expect(200);
    await close();

    expect(response.body).toEqual({ greeting: 'Ahoy, grace' });
    expect(process.env['GREETING_WORD']).toBeUndefined();
  });
});

@Module({
  imports: [
    DatabaseModule.forService({ serviceName: 'greetings-service', entities: [], migrations: [] }),
    HealthModule.forRoot({ indicators: [DatabaseHealthIndicator] }),
  ],
})
class GreetingsServiceWithDatabase {}

describe('bootTestApp with a test database', () => {
  it('boots a service on its own database and reports it on /health', async () => {
    const database = await createTestDatabase({ prefix: 'greetings' });
    const { http, close } = await bootTestApp(GreetingsServiceWithDatabase, {
      serviceName: 'greetings-service',
      env: { GREETINGS_SERVICE_DATABASE_URL: database.url },
    });
    try {
      const healthy = await http.get('/health').expect(200);
      expect(healthy.body).toEqual({ status: 'ok', checks: { database: { status: 'up' } } });

      await database.drop();

      const unhealthy = await eventually(() => http.get('/health').expect(503));
      expect(unhealthy.body).toMatchObject({
        status: 'error',
        checks: { database: { status: 'down' } },
      });
    } finally {
      await close();
      await database.drop();
    }
  });
});
