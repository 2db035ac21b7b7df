import { AsyncLocalStorage } from 'node:async_hooks';
import { setTimeout as delay } from 'node:timers/promises';
import { Logger } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { PostgresErrorCode, postgresErrorCode } from './postgres-errors';

export type TransactionIsolationLevel = 'READ COMMITTED' | 'REPEATABLE READ' | 'SERIALIZABLE';

export interface TransactionOptions {
  /** Defaults to the database's (READ COMMITTED). */
  isolationLevel?: TransactionIsolationLevel;
  /** Further attempts after a serialization failure or deadlock. */
  retries?: number;
}

type AfterCommitCallback = () => void | Promise<void>;

interface ActiveTransaction {
  readonly manager: EntityManager;
  readonly isolationLevel: TransactionIsolationLevel | undefined;
  readonly afterCommit: AfterCommitCallback[];
  open: boolean;
}

/** Per async call chain: the open transaction of each DataSource (a service may have more than one). */
const activeTransactions = new AsyncLocalStorage<ReadonlyMap<DataSource, ActiveTransaction>>();

const DEFAULT_RETRIES = 3;
const BACKOFF_BASE_MS = 20;
const BACKOFF_CAP_MS = 500;

const RETRYABLE_CODES: ReadonlySet<string | undefined> = new Set([
  PostgresErrorCode.serializationFailure,
  PostgresErrorCode.deadlockDetected,
]);

const logger = new Logger('Transaction');

function openTransactionOf(dataSource: DataSource): ActiveTransaction | undefined {
  const transaction = activeTransactions.getStore()?.get(dataSource);
  return transaction?.open ? transaction : undefined;
}

/** Jittered so that the transactions that collided do not collide again in lockstep. */
function backoffMs(attempt: number): number {
  const ceiling = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** attempt);
  return ceiling / 2 + Math.random() * (ceiling / 2);
}

async function runAfterCommit(callbacks: AfterCommitCallback[]): Promise<void> {
  for (const callback of callbacks) {
    try {
      await callback();
    } catch (error) {
      // The transaction is committed; a failing follow-up must not make the caller think otherwise.
      logger.error(
        `after-commit callback failed: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
}

async function runOnce<T>(
  dataSource: DataSource,
  work: (manager: EntityManager) => Promise<T>,
  isolationLevel: TransactionIsolationLevel | undefined,
): Promise<T> {
  const queryRunner = dataSource.createQueryRunner();
  const transaction: ActiveTransaction = {
    manager: queryRunner.manager,
    isolationLevel,
    afterCommit: [],
    open: true,
  };
  const transactions = new Map(activeTransactions.getStore());
  transactions.set(dataSource, transaction);
  let result: T;
  try {
    await queryRunner.connect();
    await queryRunner.startTransaction(isolationLevel);
    result = await activeTransactions.run(transactions, () => work(queryRunner.manager));
    await queryRunner.commitTransaction();
  } catch (error) {
    if (queryRunner.isTransactionActive) {
      await queryRunner.rollbackTransaction().catch(() => undefined); // the original error matters more
    }
    throw error;
  } finally {
    transaction.open = false;
    await queryRunner.release();
  }
  await runAfterCommit(transaction.afterCommit);
  return result;
}

/**
 * Runs `work` in a transaction on `dataSource`: commits when it resolves, rolls
 * back when it throws. A serialization failure or deadlock reruns the whole of
 * `work` in a fresh transaction (bounded, with jittered backoff), so `work` must
 * not have effects outside the database — register those with `afterCommit`.
 *
 * Called inside another `withTransaction` on the same DataSource, it joins that
 * transaction instead: commit, rollback and retries belong to the outermost call.
 */
export async function withTransaction<T>(
  dataSource: DataSource,
  work: (manager: EntityManager) => Promise<T>,
  options: TransactionOptions = {},
): Promise<T> {
  const outer = openTransactionOf(dataSource);
  if (outer) {
    if (
      options.isolationLevel &&
      options.isolationLevel !== (outer.isolationLevel ?? 'READ COMMITTED')
    ) {
      throw new Error(
        `withTransaction asked for ${options.isolationLevel} inside an open ${outer.isolationLevel ?? 'READ COMMITTED'} transaction; ` +
          'set the isolation level on the outermost call.',
      );
    }
    return work(outer.manager);
  }

  const retries = options.retries ?? DEFAULT_RETRIES;
  if (!Number.isInteger(retries) || retries < 0)
    throw new Error(`retries must be a non-negative integer, got ${retries}.`);
  for (let attempt = 0; ; attempt++) {
    try {
      return await runOnce(dataSource, work, options.isolationLevel);
    } catch (error) {
      if (attempt >= retries || !RETRYABLE_CODES.has(postgresErrorCode(error))) throw error;
      await delay(backoffMs(attempt));
    }
  }
}

/**
 * Reads that must agree with each other — a page and its total — from one
 * snapshot. Under READ COMMITTED every statement sees its own, so a row
 * committed between two reads is counted and not shown. A read-only
 * REPEATABLE READ transaction never fails to serialize, so nothing retries.
 */
export function inOneSnapshot<T>(
  dataSource: DataSource,
  reads: (manager: EntityManager) => Promise<T>,
): Promise<T> {
  return withTransaction(dataSource, reads, { isolationLevel: 'REPEATABLE READ' });
}

/**
 * The EntityManager to use right now: the open transaction's when inside
 * `withTransaction` on this DataSource, otherwise the DataSource's own.
 * Repositories call this so that they join their caller's transaction.
 */
export function currentManager(dataSource: DataSource): EntityManager {
  return openTransactionOf(dataSource)?.manager ?? dataSource.manager;
}

/** Whether the current call chain runs inside `withTransaction` on this DataSource. */
export function isInTransaction(dataSource: DataSource): boolean {
  return openTransactionOf(dataSource) !== undefined;
}

/**
 * Runs `callback` once the current transaction on `dataSource` has committed
 * (never if it rolls back; only the final attempt's callbacks when it is retried).
 * For effects that must follow the data, e.g. waking the outbox relay.
 */
export function afterCommit(dataSource: DataSource, callback: AfterCommitCallback): void {
  const transaction = openTransactionOf(dataSource);
  if (!transaction)
    throw new Error('afterCommit called outside withTransaction on this DataSource.');
  transaction.afterCommit.push(callback);
}
