import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { HealthChecks, HealthReport } from './health-checks';

/** The part of a reply (Fastify's or Express's) this controller touches. */
interface StatusAndHeaderSetter {
  status(code: number): unknown;
  header(name: string, value: string): unknown;
}

@ApiExcludeController()
@Controller()
export class HealthController {
  constructor(@Inject(HealthChecks) private readonly healthChecks: HealthChecks) {}

  @Get('health')
  async health(@Res({ passthrough: true }) reply: StatusAndHeaderSetter): Promise<HealthReport> {
    const report = await this.healthChecks.run();
    reply.header('Cache-Control', 'no-store');
    reply.status(report.status === 'ok' ? 200 : 503);
    return report;
  }
}
