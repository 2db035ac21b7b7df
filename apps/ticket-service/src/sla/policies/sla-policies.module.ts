import { Global, Module } from '@nestjs/common';
import { UpdateSlaPoliciesHandler } from './commands/update-sla-policies.handler';
import { GetSlaPoliciesHandler } from './queries/get-sla-policies.handler';
import { SlaPolicies } from './sla-policies';
import { SlaPoliciesController } from './sla-policies.controller';

/**
 * `GET, PUT /sla-policies`, and `SlaPolicies` for whoever budgets SLA clocks
 * (global, so the tickets module's SlaContexts gets it without an import).
 */
@Global()
@Module({
  controllers: [SlaPoliciesController],
  providers: [SlaPolicies, GetSlaPoliciesHandler, UpdateSlaPoliciesHandler],
  exports: [SlaPolicies],
})
export class SlaPoliciesModule {}
