import { DynamicModule, Module, ModuleMetadata, Type } from '@nestjs/common';
import { HealthChecks } from './health-checks';
import { HealthController } from './health.controller';
import { HealthIndicator } from './health-indicator';

/** Load balancers and orchestrators give up on a probe after a few seconds; answer well before. */
export const DEFAULT_HEALTH_CHECK_TIMEOUT_MS = 2_000;

export interface HealthModuleOptions {
  /** Injectable classes; each is instantiated here, so its dependencies must be reachable from `imports` or global modules. */
  indicators: Type<HealthIndicator>[];
  imports?: ModuleMetadata['imports'];
  /** How long one indicator may take before it counts as down. */
  timeoutMs?: number;
}

/** `GET /health`: 200 `{ status: 'ok', checks }` when every indicator is up, else 503 `{ status: 'error', checks }`. */
@Module({})
export class HealthModule {
  static forRoot(options: HealthModuleOptions): DynamicModule {
    const timeoutMs = options.timeoutMs ?? DEFAULT_HEALTH_CHECK_TIMEOUT_MS;
    return {
      module: HealthModule,
      imports: options.imports ?? [],
      controllers: [HealthController],
      providers: [
        ...options.indicators,
        {
          provide: HealthChecks,
          useFactory: (...indicators: HealthIndicator[]) => new HealthChecks(indicators, timeoutMs),
          inject: options.indicators,
        },
      ],
    };
  }
}
