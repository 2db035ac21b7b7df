/**
 * A minimal nginx in front of the bare ceiling server: same worker count,
 * HTTP/1.1 upstream with `keepalive 64` and a JSON access log like the
 * gateway's — no rate limits, routes or security headers. Its own run
 * directory under the OS temp dir, `nginx -p <dir> -c <conf>` in the
 * foreground (`daemon off`), so it is stopped by its own pid.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export interface BareNginx {
  url: string;
  stop(): Promise<void>;
}

const nginxBinary = () => process.env['GATEWAY_NGINX_BIN'] ?? '/usr/sbin/nginx';

export function renderBareNginx(runDir: string, listenPort: number, upstreamPort: number): string {
  return `worker_processes auto;
daemon off;
pid "${runDir}/nginx.pid";
error_log "${runDir}/error.log" warn;
events { worker_connections 4096; }
http {
    server_tokens off;
    tcp_nodelay on;
    keepalive_timeout 65s;
    client_body_temp_path "${runDir}/tmp/client_body";
    proxy_temp_path "${runDir}/tmp/proxy";
    fastcgi_temp_path "${runDir}/tmp/fastcgi";
    uwsgi_temp_path "${runDir}/tmp/uwsgi";
    scgi_temp_path "${runDir}/tmp/scgi";
    log_format bare_json escape=json '{"time":"$time_iso8601","method":"$request_method","path":"$uri","status":$status,'
        '"requestTime":$request_time,"upstreamResponseTime":"$upstream_response_time"}';
    access_log "${runDir}/access.log" bare_json;
    upstream bare {
        server 127.0.0.1:${upstreamPort};
        keepalive 64;
        keepalive_timeout 4s;
    }
    server {
        listen 127.0.0.1:${listenPort};
        location / {
            proxy_pass http://bare;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $host;
        }
    }
}
`;
}

async function waitUntilAnswering(
  url: string,
  child: ChildProcess,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`nginx exited with ${child.exitCode}`);
    try {
      await fetch(url, { signal: AbortSignal.timeout(1_000) });
      return;
    } catch {
      if (Date.now() > deadline)
        throw new Error(`nginx did not answer on ${url} within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

export async function startBareNginx(listenPort: number, upstreamPort: number): Promise<BareNginx> {
  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-tickets-nginx-'));
  fs.chmodSync(runDir, 0o755);
  fs.mkdirSync(path.join(runDir, 'tmp'));
  const configFile = path.join(runDir, 'nginx.conf');
  fs.writeFileSync(configFile, renderBareNginx(runDir, listenPort, upstreamPort));
  const output = fs.openSync(path.join(runDir, 'nginx.out.log'), 'a');
  const child = spawn(nginxBinary(), ['-p', runDir, '-c', configFile], {
    stdio: ['ignore', output, output],
  });
  fs.closeSync(output);
  const url = `http://127.0.0.1:${listenPort}`;
  try {
    await waitUntilAnswering(`${url}/`, child, 10_000);
  } catch (error) {
    child.kill('SIGTERM');
    const log = fs.readFileSync(path.join(runDir, 'nginx.out.log'), 'utf8');
    throw new Error(`${(error as Error).message}\n${log}`);
  }
  return {
    url,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5_000))]);
      }
      fs.rmSync(runDir, { recursive: true, force: true });
    },
  };
}
