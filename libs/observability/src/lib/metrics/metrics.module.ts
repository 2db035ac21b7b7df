import { DynamicModule, Module } from '@nestjs/common';
import { Registry } from 'prom-client';
import { HttpMetrics, createMetricsRegistry } from './http-metrics';
import { MetricsController } from './metrics.controller';

export interface MetricsModuleOptions {
  /** The `service` label on every series. */
  serviceName: string;
}

/**
 * Serves `GET /metrics` and makes the app's prom-client `Registry` and
 * `HttpMetrics` injectable everywhere, so any module can register its own
 * metrics (`new Gauge({ ..., registers: [registry] })`).
 */
@Module({})
export class MetricsModule {
  static forRoot(options: MetricsModuleOptions): DynamicModule {
    return {
      module: MetricsModule,
      global: true,
      controllers: [MetricsController],
      providers: [
        { provide: Registry, useFactory: () => createMetricsRegistry(options.serviceName) },
        {
          provide: HttpMetrics,
          useFactory: (registry: Registry) => new HttpMetrics(registry),
          inject: [Registry],
        },
      ],
      exports: [Registry, HttpMetrics],
    };
  }
}
