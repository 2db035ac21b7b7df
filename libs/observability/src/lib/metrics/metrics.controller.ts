import { Controller, Get, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Registry } from 'prom-client';

/** The part of a reply (Fastify's or Express's) this controller touches. */
interface HeaderSetter {
  header(name: string, value: string): unknown;
}

@ApiExcludeController()
@Controller()
export class MetricsController {
  constructor(private readonly registry: Registry) {}

  @Get('metrics')
  async scrape(@Res({ passthrough: true }) reply: HeaderSetter): Promise<string> {
    reply.header('Content-Type', this.registry.contentType);
    reply.header('Cache-Control', 'no-store');
    return this.registry.metrics();
  }
}
