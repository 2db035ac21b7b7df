import { Type } from '@nestjs/common';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { DestinationStream } from 'pino';
import { createHttpApp } from '../lib/app/create-http-app';

/** Receives the app's log lines, one JSON object each, so tests can read them back. */
export class CapturedLogs implements DestinationStream {
  readonly lines: Record<string, unknown>[] = [];
  readonly raw: string[] = [];

  write(chunk: string): void {
    for (const line of chunk.split('\n').filter((text) => text !== '')) {
      this.raw.push(line);
      this.lines.push(JSON.parse(line) as Record<string, unknown>);
    }
  }
}

export interface BootedApp {
  app: NestFastifyApplication;
  logs: CapturedLogs;
}

/** Boots `rootModule` exactly as a service does, through createHttpApp. */
export async function bootApp(
  rootModule: Type<unknown>,
  serviceName = 'test-service',
): Promise<BootedApp> {
  const logs = new CapturedLogs();
  const app = await createHttpApp(rootModule, {
    serviceName,
    logging: { level: 'debug', destination: logs },
  });
  return { app, logs };
}
