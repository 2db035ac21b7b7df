import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { startGateway, stopGateway, type GatewayOptions } from '../gateway';
import { freePort } from '@helpdesk/testing';

export { freePort };

export interface SeenRequest {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  bodyLength: number;
}

/**
 * A stand-in for one app behind the gateway. It answers 200 with what it
 * received, unless the request asks otherwise:
 * - `x-test-status: <code>` → that status with the app's own problem+json body;
 * - `x-test-hang: 1` → never answers.
 * Like a real app, it sets X-Powered-By and its own X-Request-ID.
 */
export interface TestUpstream {
  readonly name: string;
  readonly port: number;
  readonly requests: SeenRequest[];
  /** TCP connections the gateway opened to this app so far. */
  connectionCount(): number;
  close(): Promise<void>;
}

export async function startUpstream(name: string): Promise<TestUpstream> {
  const requests: SeenRequest[] = [];
  let connections = 0;
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const seen: SeenRequest = {
        method: request.method ?? '',
        url: request.url ?? '',
        headers: request.headers,
        bodyLength: Buffer.concat(chunks).length,
      };
      requests.push(seen);
      if (request.headers['x-test-hang']) return;

      response.setHeader('X-Powered-By', 'Express');
      response.setHeader('X-Request-ID', 'set-by-the-app');
      const status = Number(request.headers['x-test-status'] ?? 200);
      if (status === 200) {
        response.writeHead(200, { 'Content-Type': 'application/json' });
        response.end(JSON.stringify({ service: name, ...seen }));
        return;
      }
      response.writeHead(status, {
        'Content-Type': 'application/problem+json',
        'Retry-After': '7',
      });
      response.end(JSON.stringify(appProblem(name, status)));
    });
  });
  server.on('connection', () => {
    connections += 1;
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    name,
    port,
    requests,
    connectionCount: () => connections,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The body a test upstream sends with `x-test-status`. */
export function appProblem(service: string, status: number) {
  return {
    type: `https://helpdesk.example/problems/${service}`,
    title: 'Raised by the app',
    status,
    detail: `${service} answered ${status} itself`,
  };
}

export interface GatewayResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  json(): unknown;
}

/**
 * One request on a fresh connection. Resolves with the answer even when the
 * gateway answers before reading the whole body (413), which makes the rest
 * of the upload fail.
 */
export function send(
  port: number,
  requestPath: string,
  options: { method?: string; headers?: Record<string, string>; body?: Buffer | string } = {},
): Promise<GatewayResponse> {
  return new Promise((resolve, reject) => {
    let answered = false;
    const request = http.request(
      {
        host: '127.0.0.1',
        port,
        path: requestPath,
        method: options.method ?? 'GET',
        headers: options.headers,
        agent: false,
      },
      (response) => {
        answered = true;
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const body = Buffer.concat(chunks).toString('utf8');
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            body,
            json: () => JSON.parse(body),
          });
        });
        response.on('error', reject);
      },
    );
    request.on('error', (error) => {
      if (!answered) reject(error);
    });
    request.end(options.body);
  });
}

export interface TestGateway {
  readonly port: number;
  readonly runDir: string;
  readonly pid: number;
  stop(): Promise<void>;
}

/** Our own nginx on a free port in a throwaway run directory. */
export async function startTestGateway(options: GatewayOptions): Promise<TestGateway> {
  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gateway-test-'));
  const port = await freePort();
  try {
    const pid = await startGateway({
      ...options,
      runDir,
      listenPort: port,
      listenAddress: '127.0.0.1',
    });
    return {
      port,
      runDir,
      pid,
      stop: async () => {
        await stopGateway(runDir);
        fs.rmSync(runDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await stopGateway(runDir);
    fs.rmSync(runDir, { recursive: true, force: true });
    throw error;
  }
}

export function expectSecurityHeaders(response: GatewayResponse): void {
  expect(response.headers).toMatchObject({
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'referrer-policy': 'no-referrer',
    'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
    'cross-origin-resource-policy': 'same-origin',
  });
  expect(response.headers['x-powered-by']).toBeUndefined();
  expect(response.headers['strict-transport-security']).toBeUndefined();
  expect(response.headers['server']).toBe('nginx');
}

export function expectGatewayProblem(
  response: GatewayResponse,
  status: number,
  title: string,
): void {
  expect(response.status).toBe(status);
  expect(response.headers['content-type']).toBe('application/problem+json');
  expect(response.json()).toEqual({
    type: 'about:blank',
    title,
    status,
    detail: expect.any(String),
  });
}

/** Polls until `probe` returns a value; fails after the deadline. */
export async function eventually<T>(probe: () => T | undefined, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
