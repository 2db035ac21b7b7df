/**
 * What the seed leaves for the benchmark: `.run/bench-tickets.json` (mode 0600:
 * it holds the seeded organization's admin password and tokens — a throwaway
 * benchmark organization, but a login all the same).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export const repositoryRoot = path.resolve(__dirname, '../../..');
export const stateFile = path.join(repositoryRoot, '.run', 'bench-tickets.json');

export const gatewayUrl = (process.env['BENCH_GATEWAY_URL'] ?? 'http://127.0.0.1:8080').replace(
  /\/+$/,
  '',
);
export const ticketDatabaseUrl =
  process.env['TICKET_SERVICE_DATABASE_URL'] ??
  'postgres://helpdesk:helpdesk@127.0.0.1:5432/helpdesk_ticket';
/** Where notification-service keeps its e-mail queue: the benchmark waits for it to empty. */
export const notificationDatabaseUrl =
  process.env['NOTIFICATION_SERVICE_DATABASE_URL'] ??
  'postgres://helpdesk:helpdesk@127.0.0.1:5432/helpdesk_notification';

export interface BenchState {
  createdAt: string;
  gatewayUrl: string;
  organization: { id: string; slug: string; name: string };
  admin: {
    id: string;
    email: string;
    password: string;
    accessToken: string;
    refreshToken: string;
    /** ISO instant the access token expires. */
    accessTokenExpiresAt: string;
  };
  seeded: {
    tickets: number;
    comments: number;
    directoryUsers: number;
    otherOrganizations: Array<{ id: string; slug: string; tickets: number; comments: number }>;
    elapsedSeconds: number;
  };
  /** Words of the seeded titles and descriptions, each in about 1/50 of the tickets. */
  searchWords: string[];
}

export function readState(file = stateFile): BenchState | undefined {
  if (!fs.existsSync(file)) return undefined;
  return JSON.parse(fs.readFileSync(file, 'utf8')) as BenchState;
}

export function writeState(state: BenchState, file = stateFile): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
  fs.renameSync(temporary, file);
}

export interface TokenAnswer {
  user: { id: string; email: string };
  organization?: { id: string; slug: string; name: string };
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
}

/** A JSON request to the gateway with a deadline; throws with the answer's body on a non-2xx. */
export async function callGateway<T>(
  method: string,
  pathname: string,
  body?: unknown,
  token?: string,
): Promise<T> {
  const response = await fetch(`${gatewayUrl}${pathname}`, {
    method,
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(15_000),
  });
  const text = await response.text();
  if (!response.ok)
    throw new Error(`${method} ${pathname} → ${response.status}: ${text.slice(0, 500)}`);
  return (text ? JSON.parse(text) : undefined) as T;
}
