/**
 * One load phase: autocannon in this process, N keep-alive connections for a
 * fixed time, every response's latency kept (autocannon's own histogram has
 * no p95), errors = transport errors + timeouts + non-2xx answers.
 */
import autocannon from 'autocannon';
import { summarize, type LatencySummary } from '../events/stats';

export interface Phase {
  /** e.g. http://127.0.0.1:8080 */
  baseUrl: string;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  /** Called for every request: the path (with query) and, for POST, the body. */
  next: () => { path: string; body?: string };
  seconds: number;
  connections: number;
}

export interface PhaseResult {
  requests: number;
  perSecond: number;
  latency: LatencySummary;
  errors: number;
  /** Non-2xx answers by status, plus transport errors and timeouts. */
  failures: Record<string, number>;
}

export async function runPhase(phase: Phase): Promise<PhaseResult> {
  const latencies: number[] = [];
  const failures: Record<string, number> = {};
  const first = phase.next();
  const instance = autocannon({
    url: phase.baseUrl,
    connections: phase.connections,
    duration: phase.seconds,
    // Longer than any answer the gateway lets through (proxy_read_timeout 30 s): slow is measured, not cut.
    timeout: 35,
    method: phase.method ?? 'GET',
    headers: {
      ...(phase.method === 'POST' ? { 'content-type': 'application/json' } : {}),
      ...phase.headers,
    },
    requests: [
      {
        method: phase.method ?? 'GET',
        path: first.path,
        ...(first.body === undefined ? {} : { body: first.body }),
        setupRequest: (request) => {
          const { path, body } = phase.next();
          return { ...request, path, ...(body === undefined ? {} : { body }) };
        },
      },
    ],
  });
  instance.on(
    'response',
    (_client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
      latencies.push(responseTime);
      if (statusCode < 200 || statusCode > 299)
        failures[String(statusCode)] = (failures[String(statusCode)] ?? 0) + 1;
    },
  );
  const result = await instance;
  // autocannon counts a timeout as an error too.
  if (result.errors > result.timeouts)
    failures['transport errors'] = result.errors - result.timeouts;
  if (result.timeouts > 0) failures['timeouts'] = result.timeouts;
  return {
    requests: latencies.length,
    perSecond: latencies.length / result.duration,
    latency: summarize(latencies),
    errors: result.errors + result.non2xx,
    failures,
  };
}
