import { createdAtOf, stampedName } from './unique-name';

export interface TestVhost {
  /** AMQP URL of the new vhost, with the broker user's credentials. */
  url: string;
  vhost: string;
  /** Deletes the vhost and everything in it (queues, exchanges, connections). Safe to call twice. */
  drop(): Promise<void>;
  /**
   * Force-closes the client connections in this vhost whose name (the
   * `connection_name` client property) contains `nameContains` (all when
   * omitted), the way a broker restart or a network cut would. Returns how
   * many it closed. The management API lists a new connection after a short
   * delay, so poll (eventually) when a connection has just been opened.
   */
  closeConnections(nameContains?: string): Promise<number>;
}

export interface TestVhostOptions {
  /** Part of the name, to tell whose vhost it is: `t_<prefix>_…`. */
  prefix?: string;
  /** Defaults to RABBITMQ_URL, else amqp://guest:guest@127.0.0.1:5672. */
  amqpUrl?: string;
  /** Defaults to RABBITMQ_MANAGEMENT_URL, else http://127.0.0.1:15672. */
  managementUrl?: string;
}

const DEFAULT_AMQP_URL = 'amqp://guest:guest@127.0.0.1:5672';
const DEFAULT_MANAGEMENT_URL = 'http://127.0.0.1:15672';
const REQUEST_TIMEOUT_MS = 10_000;
const STALE_AFTER_HOURS = 6;

interface Broker {
  amqpUrl: URL;
  managementUrl: string;
  user: string;
  authorization: string;
}

function brokerFrom(options: TestVhostOptions): Broker {
  const amqpUrl = new URL(options.amqpUrl ?? (process.env['RABBITMQ_URL'] || DEFAULT_AMQP_URL));
  const user = decodeURIComponent(amqpUrl.username) || 'guest';
  const password = decodeURIComponent(amqpUrl.password) || 'guest';
  return {
    amqpUrl,
    managementUrl: (
      options.managementUrl ??
      (process.env['RABBITMQ_MANAGEMENT_URL'] || DEFAULT_MANAGEMENT_URL)
    ).replace(/\/+$/, ''),
    user,
    authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`,
  };
}

async function management(
  broker: Broker,
  method: string,
  path: string,
  body?: unknown,
): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(`${broker.managementUrl}/api${path}`, {
      method,
      headers: { authorization: broker.authorization, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
  } catch (error) {
    const reason =
      error instanceof Error
        ? error.cause instanceof Error
          ? error.cause.message
          : error.message
        : String(error);
    throw new Error(
      `RabbitMQ management API unreachable at ${broker.managementUrl} (${reason}). ` +
        'Test vhosts need the management plugin: `rabbitmq-plugins enable rabbitmq_management`, ' +
        'or point RABBITMQ_MANAGEMENT_URL at it.',
    );
  }
  if (response.status === 401) {
    throw new Error(
      `RabbitMQ management API at ${broker.managementUrl} refused user "${broker.user}" (401).`,
    );
  }
  return response;
}

async function expectOk(response: Response, what: string): Promise<void> {
  if (!response.ok)
    throw new Error(
      `RabbitMQ management API: ${what} failed with ${response.status}: ${await response.text()}`,
    );
}

async function deleteVhost(broker: Broker, vhost: string): Promise<void> {
  const response = await management(broker, 'DELETE', `/vhosts/${encodeURIComponent(vhost)}`);
  if (response.status !== 404) await expectOk(response, `deleting vhost ${vhost}`);
}

interface ConnectionInfo {
  name: string;
  client_properties?: { connection_name?: string };
}

async function closeConnections(
  broker: Broker,
  vhost: string,
  nameContains?: string,
): Promise<number> {
  const response = await management(
    broker,
    'GET',
    `/vhosts/${encodeURIComponent(vhost)}/connections`,
  );
  await expectOk(response, `listing connections of ${vhost}`);
  const targets = ((await response.json()) as ConnectionInfo[]).filter(
    (connection) =>
      nameContains === undefined ||
      (connection.client_properties?.connection_name ?? '').includes(nameContains),
  );
  let closed = 0;
  for (const connection of targets) {
    const deleted = await management(
      broker,
      'DELETE',
      `/connections/${encodeURIComponent(connection.name)}`,
    );
    // 404: it went away by itself meanwhile, which is what we wanted.
    if (deleted.status !== 404) await expectOk(deleted, `closing connection ${connection.name}`);
    if (deleted.ok) closed += 1;
  }
  return closed;
}

/** Deletes test vhosts left behind by runs that were killed before cleaning up. Returns their names. */
export async function sweepStaleTestVhosts(
  olderThanHours = STALE_AFTER_HOURS,
  options: TestVhostOptions = {},
): Promise<string[]> {
  const broker = brokerFrom(options);
  const response = await management(broker, 'GET', '/vhosts?columns=name');
  await expectOk(response, 'listing vhosts');
  const cutoff = Date.now() - olderThanHours * 3_600_000;
  const stale = ((await response.json()) as Array<{ name: string }>)
    .map((vhost) => vhost.name)
    .filter((name) => {
      const createdAt = createdAtOf(name);
      return createdAt !== undefined && createdAt.getTime() < cutoff;
    });
  for (const name of stale) await deleteVhost(broker, name);
  return stale;
}

let sweptThisProcess: Promise<unknown> | undefined;

/** A new RabbitMQ vhost that only this test uses, with full permissions for the broker user. */
export async function createTestVhost(options: TestVhostOptions = {}): Promise<TestVhost> {
  const broker = brokerFrom(options);
  const vhost = stampedName(options.prefix ?? 'vhost');
  const path = encodeURIComponent(vhost);

  await expectOk(await management(broker, 'PUT', `/vhosts/${path}`), `creating vhost ${vhost}`);
  const permissions = { configure: '.*', write: '.*', read: '.*' };
  await expectOk(
    await management(
      broker,
      'PUT',
      `/permissions/${path}/${encodeURIComponent(broker.user)}`,
      permissions,
    ),
    `granting ${broker.user} access to ${vhost}`,
  );
  // Housekeeping must never fail a test: another process may be deleting the same leftovers.
  sweptThisProcess ??= sweepStaleTestVhosts(STALE_AFTER_HOURS, options).catch(() => undefined);
  await sweptThisProcess;

  const url = new URL(broker.amqpUrl);
  url.pathname = `/${path}`;
  return {
    url: url.toString(),
    vhost,
    drop: () => deleteVhost(broker, vhost),
    closeConnections: (nameContains) => closeConnections(broker, vhost, nameContains),
  };
}
