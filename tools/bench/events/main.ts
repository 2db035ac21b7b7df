/**
 * Events benchmark (issue #3): commit → outbox → relay → RabbitMQ → consumer
 * → inbox → handler, with persistent messages, publisher confirms and manual
 * acks, beside the same machine's raw broker limit measured in the same run.
 *
 *   npm run bench:events            (BENCH_EVENTS=10000 BENCH_CONCURRENCY=32 BENCH_RATE=200 BENCH_SECONDS=10)
 *
 * Not a test: it prints figures, it asserts nothing.
 */
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { NestFactory } from '@nestjs/core';
import { EventBus } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { TicketCreated, type TicketCreatedPayload } from '@helpdesk/contracts';
import { migrateServiceDatabase, withTransaction } from '@helpdesk/database';
import { EventConsumer, raise } from '@helpdesk/messaging';
import { createTestDatabase, createTestVhost } from '@helpdesk/testing';
import { benchDatabaseOptions, BenchModule, Timeline } from './bench-app';
import { measureRawBroker } from './raw-broker';
import { formatMs, summarize } from './stats';

const settings = {
  events: Number(process.env['BENCH_EVENTS'] ?? 10_000),
  concurrency: Number(process.env['BENCH_CONCURRENCY'] ?? 32),
  rate: Number(process.env['BENCH_RATE'] ?? 200),
  seconds: Number(process.env['BENCH_SECONDS'] ?? 10),
};

function ticketCreatedPayload(ticketId: string, number: number): TicketCreatedPayload {
  return {
    ticketId,
    number,
    title: 'Printer on fire',
    description: 'The printer on the 3rd floor is on fire again.',
    status: 'open',
    priority: 'normal',
    tags: ['hardware'],
    requesterId: randomUUID(),
    assigneeId: null,
    departmentId: null,
    sla: { firstResponseDueAt: null, resolutionDueAt: null },
  };
}

async function untilHandled(timeline: Timeline, eventIds: string[], timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs;
  while (eventIds.some((id) => !timeline.handledAt.has(id))) {
    if (Date.now() > deadline) {
      const missing = eventIds.filter((id) => !timeline.handledAt.has(id)).length;
      throw new Error(`${missing} of ${eventIds.length} events not handled within ${timeoutMs} ms`);
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

async function main(): Promise<void> {
  const database = await createTestDatabase({ prefix: 'bench' });
  const vhost = await createTestVhost({ prefix: 'bench' });
  process.env['BENCH_SERVICE_DATABASE_URL'] = database.url;
  process.env['RABBITMQ_URL'] = vhost.url;
  await migrateServiceDatabase(benchDatabaseOptions);
  const app = await NestFactory.createApplicationContext(BenchModule, {
    logger: ['error', 'warn'],
  });
  try {
    await app.init();
    const dataSource = app.get(DataSource);
    const eventBus = app.get(EventBus);
    const timeline = app.get(Timeline);
    await app.get(EventConsumer).waitUntilConnected(30_000);
    const tenantId = randomUUID();
    let ticketNumber = 0;

    const commitOne = async (): Promise<string> => {
      const ticketId = randomUUID();
      ticketNumber += 1;
      const event = raise(TicketCreated, {
        tenantId,
        aggregateId: ticketId,
        aggregateVersion: 1,
        payload: ticketCreatedPayload(ticketId, ticketNumber),
        actor: { actorId: 'bench', actorType: 'service' },
      });
      await withTransaction(dataSource, async () => {
        await eventBus.publish(event);
      });
      timeline.committedAt.set(event.eventId, Timeline.now());
      return event.eventId;
    };

    // Warm up: JIT, connection pools, queue declarations.
    const warmup = await Promise.all(Array.from({ length: 200 }, commitOne));
    await untilHandled(timeline, warmup);

    // 1. Sustained throughput: as many commands as the pool takes, concurrently.
    const ids: string[] = [];
    const started = Timeline.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: settings.concurrency }, async () => {
        while (next < settings.events) {
          next += 1;
          ids.push(await commitOne());
        }
      }),
    );
    const committedAllAt = Timeline.now();
    await untilHandled(timeline, ids);
    const lastHandled = Math.max(...ids.map((id) => timeline.handledAt.get(id) ?? 0));
    const throughput = ids.length / ((lastHandled - started) / 1000);
    const commitRate = ids.length / ((committedAllAt - started) / 1000);

    // 2. Latency at a steady rate.
    const steady: string[] = [];
    const intervalMs = 1000 / settings.rate;
    const total = settings.rate * settings.seconds;
    const t0 = Timeline.now();
    const pending: Promise<void>[] = [];
    for (let i = 0; i < total; i += 1) {
      const due = t0 + i * intervalMs;
      const wait = due - Timeline.now();
      if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
      pending.push(commitOne().then((id) => void steady.push(id)));
    }
    await Promise.all(pending);
    await untilHandled(timeline, steady);
    const latency = summarize(
      steady.map((id) => (timeline.handledAt.get(id) ?? 0) - (timeline.committedAt.get(id) ?? 0)),
    );

    await app.close();

    // 3. The raw limit, same run, same broker: bare amqplib, same message size.
    const bodyBytes = Buffer.byteLength(JSON.stringify(raiseSample(tenantId)));
    const raw = await measureRawBroker({
      url: vhost.url,
      queueType: 'quorum',
      messages: Math.max(20_000, settings.events),
      bodyBytes,
    });

    const lines = [
      `events benchmark — ${new Date().toISOString()} — node ${process.version}, 2 cores shared by PostgreSQL, RabbitMQ and this process`,
      `sustained: ${ids.length} events, ${settings.concurrency} concurrent commands: ${throughput.toFixed(0)} events/s committed→handled (commits alone: ${commitRate.toFixed(0)}/s)`,
      `latency at ${settings.rate} events/s for ${settings.seconds} s (commit → handled, n=${latency.count}): p50 ${formatMs(latency.p50)}, p95 ${formatMs(latency.p95)}, p99 ${formatMs(latency.p99)}, max ${formatMs(latency.max)}`,
      `raw broker limit (amqplib, persistent, confirms window 500, manual ack, quorum queue, ${bodyBytes}-byte body): ${raw.perSecond.toFixed(0)} msg/s`,
      `ratio: ${((throughput / raw.perSecond) * 100).toFixed(1)}% of the raw broker limit; duplicates handled: ${timeline.duplicates}`,
    ];
    console.log(lines.join('\n'));
  } finally {
    await app.close().catch(() => undefined);
    await vhost.drop().catch(() => undefined);
    await database.drop().catch(() => undefined);
  }
}

function raiseSample(tenantId: string): object {
  const ticketId = randomUUID();
  return raise(TicketCreated, {
    tenantId,
    aggregateId: ticketId,
    aggregateVersion: 1,
    payload: ticketCreatedPayload(ticketId, 1),
    actor: { actorId: 'bench', actorType: 'service' },
  }).toEnvelope();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
