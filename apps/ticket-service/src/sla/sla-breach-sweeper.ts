import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { EventBus } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { TicketSlaBreached } from '@helpdesk/contracts';
import { currentManager, withTransaction } from '@helpdesk/database';
import { raise } from '@helpdesk/messaging';
import { isBreached } from '../domain/sla';
import type { SlaContext, SlaTargetName, Ticket } from '../domain/ticket';
import { TicketSchema } from '../persistence/schemas';
import { SlaContexts } from './sla-contexts';

/** One sweeper at a time across replicas: whoever holds this lock sweeps, the others skip the round. */
const SWEEP_LOCK = 0x736c6131; // "sla1"
const BATCH = 200;

export function slaSweepIntervalMs(env: NodeJS.ProcessEnv = process.env): number {
  const value = Number(env['SLA_SWEEP_INTERVAL_MS'] ?? 15_000);
  if (!Number.isFinite(value) || value < 100)
    throw new Error('SLA_SWEEP_INTERVAL_MS must be at least 100');
  return value;
}

/**
 * Finds SLA targets whose due time has passed and records each breach once
 * per ticket and target, publishing `ticket.sla_breached` in the same
 * transaction. Runs every SLA_SWEEP_INTERVAL_MS (15 s: breaches are seen
 * within a minute); the due-time indexes make a round cheap when nothing is due.
 */
@Injectable()
export class SlaBreachSweeper implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(SlaBreachSweeper.name);
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;
  private stopped = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly eventBus: EventBus,
    private readonly contexts: SlaContexts,
  ) {}

  onModuleInit(): void {
    this.timer = setInterval(
      () => void this.sweepNow().catch((error: unknown) => this.logger.error(error)),
      slaSweepIntervalMs(),
    );
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.running?.catch(() => undefined);
  }

  /** One round (also for tests): returns how many breaches it recorded. */
  sweepNow(now = new Date()): Promise<number> {
    if (this.stopped) return Promise.resolve(0);
    this.running ??= this.sweep(now).finally(() => (this.running = undefined));
    return this.running;
  }

  private async sweep(now: Date): Promise<number> {
    let recorded = 0;
    for (;;) {
      const round = await withTransaction(this.dataSource, async (manager) => {
        const [{ locked }] = await manager.query('SELECT pg_try_advisory_xact_lock($1) AS locked', [
          SWEEP_LOCK,
        ]);
        if (!locked) return { done: true, recorded: 0 };
        const candidates = await currentManager(this.dataSource)
          .getRepository(TicketSchema)
          .createQueryBuilder('ticket')
          .where(
            `((ticket.first_response_due_at <= :now AND NOT ticket.first_response_breached AND ticket.first_response_at IS NULL)
              OR (ticket.resolution_due_at <= :now AND NOT ticket.resolution_breached))`,
            { now },
          )
          .andWhere(`ticket.status IN ('open', 'in_progress')`)
          .orderBy('ticket.created_at')
          .limit(BATCH)
          .setLock('pessimistic_write')
          .setOnLocked('skip_locked')
          .getMany();
        const contexts = new Map<string, SlaContext>();
        let breaches = 0;
        for (const ticket of candidates) {
          const context =
            contexts.get(ticket.tenantId) ?? (await this.contexts.forTenant(ticket.tenantId));
          contexts.set(ticket.tenantId, context);
          breaches += await this.record(ticket, context, now);
        }
        return { done: candidates.length < BATCH, recorded: breaches };
      });
      recorded += round.recorded;
      if (round.done || this.stopped) return recorded;
    }
  }

  private async record(ticket: Ticket, context: SlaContext, now: Date): Promise<number> {
    const due: SlaTargetName[] = [];
    if (
      ticket.firstResponseAt === null &&
      isBreached(ticket.slaClocks.firstResponse, now, context.calendar)
    )
      due.push('firstResponse');
    if (isBreached(ticket.slaClocks.resolution, now, context.calendar)) due.push('resolution');
    const fresh = ticket.markBreaches(due, now);
    if (fresh.length === 0) return 0;
    await currentManager(this.dataSource).getRepository(TicketSchema).save(ticket);
    await this.eventBus.publishAll(
      fresh.map((target) =>
        raise(TicketSlaBreached, {
          tenantId: ticket.tenantId,
          aggregateId: ticket.id,
          aggregateVersion: ticket.version,
          payload: {
            ticketId: ticket.id,
            number: ticket.number,
            title: ticket.title,
            target: target === 'firstResponse' ? 'first_response' : 'resolution',
            dueAt: (
              (target === 'firstResponse' ? ticket.firstResponseDueAt : ticket.resolutionDueAt) ??
              now
            ).toISOString(),
            priority: ticket.priority,
            requesterId: ticket.requesterId,
            assigneeId: ticket.assigneeId,
            departmentId: ticket.departmentId,
          },
          actor: { actorId: null, actorType: 'system' },
        }),
      ),
    );
    return fresh.length;
  }
}
