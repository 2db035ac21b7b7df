import {
  exchangeForEventType,
  type EventType,
  type IntegrationEventBase,
} from '@helpdesk/contracts';
import { currentManager, isInTransaction, valuesPlaceholders } from '@helpdesk/database';
import type {
  DataSource,
  EntityManager,
  EntitySubscriberInterface,
  TransactionCommitEvent,
  TransactionRollbackEvent,
} from 'typeorm';
import { OutboxOutsideTransactionError } from './invalid-integration-event.error';
import { serializeEvent } from './serialize-event';

const COLUMNS = [
  'id',
  'event_type',
  'event_version',
  'exchange',
  'routing_key',
  'aggregate_type',
  'aggregate_id',
  'aggregate_version',
  'tenant_id',
  'envelope',
] as const;

/** PostgreSQL takes at most 65,535 parameters per statement. */
const ROWS_PER_INSERT = Math.floor(65_535 / COLUMNS.length);

type OutboxRow = readonly unknown[];

function rowOf(event: IntegrationEventBase): OutboxRow {
  // Accepted by the catalogue's parser, so its type is in the catalogue.
  const envelope = serializeEvent(event);
  const eventType = event.eventType as EventType;
  return [
    event.eventId,
    event.eventType,
    event.version,
    exchangeForEventType(eventType),
    event.eventType,
    event.aggregateType,
    event.aggregateId,
    event.aggregateVersion,
    event.tenantId,
    envelope,
  ];
}

function insertStatement(rowCount: number): string {
  return `INSERT INTO outbox (${COLUMNS.join(', ')}) VALUES ${valuesPlaceholders(rowCount, COLUMNS.length)}`;
}

/**
 * Writes integration events into the outbox of the transaction they were
 * published in. `stage` runs synchronously where the event is published
 * (so a bad event or a missing transaction throws in the command handler,
 * even through `aggregate.commit()`, which drops promises); the INSERT runs
 * just before COMMIT through TypeORM's `beforeTransactionCommit`, which
 * `commitTransaction` awaits — so the rows commit with the change or not at
 * all, whether or not the caller awaited `publish`. One multi-row INSERT per
 * transaction.
 */
export class OutboxWriter implements EntitySubscriberInterface {
  /** Keyed by the transaction's EntityManager: a rolled-back or retried attempt's rows are simply dropped. */
  private readonly staged = new WeakMap<EntityManager, OutboxRow[]>();
  private attached = false;
  /** Transactions whose rows were written, so the relay can be woken once they are durable. */
  private readonly written = new WeakSet<EntityManager>();
  private readonly committedListeners: Array<() => void> = [];

  constructor(private readonly dataSource: DataSource) {}

  /** Registers the commit hook on the DataSource (idempotent). */
  attach(): void {
    if (this.attached) return;
    this.dataSource.subscribers.push(this);
    this.attached = true;
  }

  detach(): void {
    const index = this.dataSource.subscribers.indexOf(this);
    if (index >= 0) this.dataSource.subscribers.splice(index, 1);
    this.attached = false;
  }

  /** Called after each commit that wrote outbox rows: the relay's low-latency wake-up. */
  onCommitted(listener: () => void): void {
    this.committedListeners.push(listener);
  }

  /** Validates and queues `events` for the current transaction; throws if there is none or one is invalid. */
  stage(events: readonly IntegrationEventBase[]): void {
    if (events.length === 0) return;
    if (!this.attached) throw new Error('OutboxWriter.stage called before attach().');
    if (!isInTransaction(this.dataSource))
      throw new OutboxOutsideTransactionError(events[0].eventType);
    const rows = events.map(rowOf); // all or nothing: validate every event before queuing any
    const manager = currentManager(this.dataSource);
    const queued = this.staged.get(manager);
    if (queued) queued.push(...rows);
    else this.staged.set(manager, rows);
  }

  async beforeTransactionCommit(event: TransactionCommitEvent): Promise<void> {
    const rows = this.staged.get(event.manager);
    if (!rows) return;
    this.staged.delete(event.manager);
    for (let start = 0; start < rows.length; start += ROWS_PER_INSERT) {
      const chunk = rows.slice(start, start + ROWS_PER_INSERT);
      await event.queryRunner.query(insertStatement(chunk.length), chunk.flat());
    }
    this.written.add(event.manager);
  }

  afterTransactionCommit(event: TransactionCommitEvent): void {
    if (!this.written.has(event.manager)) return;
    this.written.delete(event.manager);
    for (const listener of this.committedListeners) listener();
  }

  afterTransactionRollback(event: TransactionRollbackEvent): void {
    this.written.delete(event.manager);
  }
}
