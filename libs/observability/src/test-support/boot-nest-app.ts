import { Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import type { DestinationStream } from 'pino';

/**
 * A bare Nest app on Fastify. This library sits below @helpdesk/http, so its
 * tests cannot use createHttpApp; the full wiring is tested there.
 */
export async function bootNestApp(rootModule: Type<unknown>): Promise<NestFastifyApplication> {
  const app = await NestFactory.create<NestFastifyApplication>(rootModule, new FastifyAdapter(), {
    logger: false,
    abortOnError: false,
  });
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return app;
}

/** Receives a logger's lines so a test can read them back as objects. */
export class CapturedLines implements DestinationStream {
  readonly lines: Record<string, unknown>[] = [];

  write(chunk: string): void {
    for (const line of chunk.split('\n').filter((text) => text !== '')) {
      this.lines.push(JSON.parse(line) as Record<string, unknown>);
    }
  }
}
