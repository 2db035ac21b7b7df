import { Type } from '@nestjs/common';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createHttpApp, HttpAppOptions } from '@helpdesk/http';
import request from 'supertest';

export interface BootTestAppOptions extends HttpAppOptions {
  /** Environment for the app's lifetime (e.g. its database URL); `undefined` unsets a variable. */
  env?: Record<string, string | undefined>;
}

export interface TestApp {
  app: NestFastifyApplication;
  /** supertest bound to the app's server: `await http.get('/health').expect(200)`. */
  http: ReturnType<typeof request>;
  /** Closes the app (and its connections) and restores the environment. */
  close(): Promise<void>;
}

function applyEnv(env: Record<string, string | undefined>): () => void {
  const previous = Object.keys(env).map((name) => [name, process.env[name]] as const);
  const set = (name: string, value: string | undefined): void => {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  };
  for (const [name, value] of Object.entries(env)) set(name, value);
  return () => {
    for (const [name, value] of previous) set(name, value);
  };
}

/**
 * Starts `rootModule` with exactly the production HTTP wiring (createHttpApp),
 * initialised but not listening on a port; requests go through supertest.
 */
export async function bootTestApp(
  rootModule: Type<unknown>,
  options: BootTestAppOptions,
): Promise<TestApp> {
  const restoreEnv = applyEnv(options.env ?? {});
  let app: NestFastifyApplication | undefined;
  try {
    const { env: _env, ...httpOptions } = options;
    // Warnings and errors only, unless LOG_LEVEL asks for more: test output stays readable.
    const logging = { level: process.env['LOG_LEVEL'] || 'warn', ...options.logging };
    app = await createHttpApp(rootModule, { ...httpOptions, logging });
    await app.getHttpAdapter().getInstance().ready();
  } catch (error) {
    await app?.close().catch(() => undefined);
    restoreEnv();
    throw error;
  }
  const started = app;
  return {
    app: started,
    http: request(started.getHttpServer()),
    close: async () => {
      try {
        await started.close();
      } finally {
        restoreEnv();
      }
    },
  };
}
