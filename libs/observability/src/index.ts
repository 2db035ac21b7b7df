export { type RequestContext, currentContext, runWithContext } from './lib/logging/request-context';
export { REQUEST_ID_HEADER, resolveRequestId } from './lib/logging/request-id';
export { type CreateLoggerOptions, PinoLoggerService, createLogger } from './lib/logging/logger';
export {
  HttpMetrics,
  type HttpRequestObservation,
  UNMATCHED_ROUTE,
} from './lib/metrics/http-metrics';
export { MetricsModule, type MetricsModuleOptions } from './lib/metrics/metrics.module';
export type { HealthCheckResult, HealthIndicator } from './lib/health/health-indicator';
export type { HealthReport } from './lib/health/health-checks';
export { HealthModule, type HealthModuleOptions } from './lib/health/health.module';
export {
  RABBITMQ_HEALTH_OPTIONS,
  RabbitMqHealthIndicator,
  type RabbitMqHealthOptions,
} from './lib/health/rabbitmq-health.indicator';
