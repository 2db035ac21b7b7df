/**
 * The ceiling: a bare node:http server (no framework, no validation, no auth)
 * doing the same database work per request as ticket-service — one query per
 * read, one INSERT plus one persistent, confirmed RabbitMQ publish per create.
 * Forked by main.ts (its own process, like the service), behind its own nginx.
 *
 * Configuration through the environment (BARE_*); tells the parent `ready`.
 */
import { randomUUID } from 'node:crypto';
import * as http from 'node:http';
import * as amqplib from 'amqplib';
import { Pool } from 'pg';
import { SERVICE_SESSION_OPTIONS } from '@helpdesk/database';
import { GET_ONE, INSERT_TICKET, LIST_PAGE, LIST_STATUS_PAGE, SEARCH_PAGE } from './ceiling-sql';

const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
};

const settings = {
  port: Number(env('BARE_PORT')),
  databaseUrl: env('BARE_DATABASE_URL'),
  amqpUrl: env('BARE_AMQP_URL'),
  exchange: env('BARE_EXCHANGE'),
  /** The seeded organization, read. */
  readTenant: env('BARE_READ_TENANT'),
  /** A throwaway tenant the creates write to (main.ts deletes its rows afterwards). */
  writeTenant: env('BARE_WRITE_TENANT'),
  requester: env('BARE_REQUESTER'),
  poolSize: Number(process.env['BARE_POOL_SIZE'] ?? 10),
};

const PRIORITIES = ['low', 'normal', 'high', 'urgent'];
const FIRST_RESPONSE_MINUTES: Record<string, number> = {
  urgent: 60,
  high: 240,
  normal: 480,
  low: 1440,
};
const RESOLUTION_MINUTES: Record<string, number> = {
  urgent: 240,
  high: 1440,
  normal: 2880,
  low: 5760,
};

async function main(): Promise<void> {
  const pool = new Pool({
    connectionString: settings.databaseUrl,
    max: settings.poolSize,
    // The service's session settings: the same SQL must get the same plans.
    options: SERVICE_SESSION_OPTIONS,
  });
  const connection = await amqplib.connect(settings.amqpUrl);
  const channel = await connection.createConfirmChannel();
  let number = 0;

  const publish = (routingKey: string, body: Buffer, messageId: string) =>
    new Promise<void>((resolve, reject) => {
      channel.publish(
        settings.exchange,
        routingKey,
        body,
        { persistent: true, contentType: 'application/json', messageId },
        (error: unknown) =>
          error ? reject(error instanceof Error ? error : new Error(String(error))) : resolve(),
      );
    });

  const send = (response: http.ServerResponse, status: number, body: unknown) => {
    const text = JSON.stringify(body);
    response.writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(text),
    });
    response.end(text);
  };

  const readBody = (request: http.IncomingMessage) =>
    new Promise<string>((resolve, reject) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
      request.on('error', reject);
    });

  async function create(request: http.IncomingMessage): Promise<unknown> {
    const body = JSON.parse(await readBody(request)) as {
      title: string;
      description: string;
      priority?: string;
      tags?: string[];
    };
    const priority = PRIORITIES.includes(body.priority ?? '')
      ? (body.priority as string)
      : 'normal';
    const now = new Date();
    const id = randomUUID();
    number += 1;
    const clock = (minutes: number) => ({
      budgetMinutes: minutes,
      startedAt: now.toISOString(),
      consumedMs: 0,
      runningSince: now.toISOString(),
    });
    const due = (minutes: number) => new Date(now.getTime() + minutes * 60_000);
    await pool.query(INSERT_TICKET, [
      id,
      settings.writeTenant,
      number,
      body.title,
      body.description,
      priority,
      PRIORITIES.indexOf(priority),
      body.tags ?? [],
      settings.requester,
      now,
      JSON.stringify({
        firstResponse: clock(FIRST_RESPONSE_MINUTES[priority]),
        resolution: clock(RESOLUTION_MINUTES[priority]),
      }),
      due(FIRST_RESPONSE_MINUTES[priority]),
      due(RESOLUTION_MINUTES[priority]),
    ]);
    const ticket = {
      id,
      number,
      title: body.title,
      description: body.description,
      status: 'open',
      priority,
      tags: body.tags ?? [],
      createdAt: now.toISOString(),
    };
    const eventId = randomUUID();
    await publish(
      'ticket.created',
      Buffer.from(
        JSON.stringify({
          eventId,
          eventType: 'ticket.created',
          tenantId: settings.writeTenant,
          payload: ticket,
        }),
      ),
      eventId,
    );
    return ticket;
  }

  const server = http.createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://bare');
    const handle = async (): Promise<[number, unknown]> => {
      if (request.method === 'POST' && url.pathname === '/tickets')
        return [201, await create(request)];
      if (request.method !== 'GET') return [405, { title: 'Method Not Allowed' }];
      if (url.pathname === '/tickets') {
        const status = url.searchParams.get('status');
        const { rows } = status
          ? await pool.query(LIST_STATUS_PAGE, [settings.readTenant, status])
          : await pool.query(LIST_PAGE, [settings.readTenant]);
        return [200, { data: rows }];
      }
      if (url.pathname.startsWith('/tickets/')) {
        const { rows } = await pool.query(GET_ONE, [
          settings.readTenant,
          url.pathname.slice('/tickets/'.length),
        ]);
        return rows.length > 0 ? [200, rows[0]] : [404, { title: 'Not Found' }];
      }
      if (url.pathname === '/search/tickets') {
        const { rows } = await pool.query(SEARCH_PAGE, [
          url.searchParams.get('q') ?? '',
          settings.readTenant,
        ]);
        return [200, { data: rows }];
      }
      return [404, { title: 'Not Found' }];
    };
    handle().then(
      ([status, body]) => send(response, status, body),
      (error: unknown) => send(response, 500, { title: String(error) }),
    );
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve) => server.listen(settings.port, '127.0.0.1', resolve));
  process.send?.({ ready: true });

  process.on('SIGTERM', () => {
    server.close();
    server.closeAllConnections();
    void Promise.allSettled([pool.end(), connection.close()]).then(() => process.exit(0));
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
