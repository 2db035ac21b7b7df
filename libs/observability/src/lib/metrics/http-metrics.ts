import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** The `route` label of requests no route matched; raw URLs would explode the label's cardinality. */
export const UNMATCHED_ROUTE = 'unmatched';

export interface HttpRequestObservation {
  method: string;
  /** The route template (`/api/v1/tickets/:id`), or undefined when no route matched. */
  route: string | undefined;
  statusCode: number;
  durationSeconds: number;
}

type HttpLabel = 'method' | 'route' | 'status_code';

/**
 * A registry of its own per application (never prom-client's global one), so
 * several apps can live in one process — tests do — without sharing series.
 * Every series carries `service`.
 */
export function createMetricsRegistry(serviceName: string): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ service: serviceName });
  collectDefaultMetrics({ register: registry });
  return registry;
}

/** The RED metrics of an HTTP server: requests, errors (5xx) and duration. */
export class HttpMetrics {
  private readonly requests: Counter<HttpLabel>;
  private readonly errors: Counter<HttpLabel>;
  private readonly duration: Histogram<HttpLabel>;

  constructor(registry: Registry) {
    const labelNames: HttpLabel[] = ['method', 'route', 'status_code'];
    this.requests = new Counter({
      name: 'http_requests_total',
      help: 'HTTP requests answered, by route template and status code.',
      labelNames,
      registers: [registry],
    });
    this.errors = new Counter({
      name: 'http_request_errors_total',
      help: 'HTTP requests answered with a 5xx status.',
      labelNames,
      registers: [registry],
    });
    this.duration = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'Time from receiving an HTTP request to finishing its answer.',
      labelNames,
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    });
  }

  observe(observation: HttpRequestObservation): void {
    const labels = {
      method: observation.method,
      route: observation.route ?? UNMATCHED_ROUTE,
      status_code: String(observation.statusCode),
    };
    this.requests.inc(labels);
    this.duration.observe(labels, observation.durationSeconds);
    if (observation.statusCode >= 500) this.errors.inc(labels);
  }
}
