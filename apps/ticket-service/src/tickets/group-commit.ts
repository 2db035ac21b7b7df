import { AsyncResource } from 'node:async_hooks';

/** One submitted item, as a batch sees it. */
export interface Submitted<TItem> {
  readonly item: TItem;
  /**
   * Runs `work` in the submitter's async context — its request id, actor and
   * client address — which the batch, running for many submitters, does not have.
   */
  inSubmitterContext<T>(work: () => T): T;
}

/** Commits a batch of one key; answers one result per item, in order. */
export type CommitBatch<TItem, TResult> = (
  key: string,
  batch: ReadonlyArray<Submitted<TItem>>,
) => Promise<TResult[]>;

export interface GroupCommitOptions {
  /** Items per batch at most. */
  maxBatch: number;
  /**
   * Whether a failed batch is known to have committed nothing, so that its
   * items may each be tried again alone. False when the outcome is unknown
   * (the connection was lost around COMMIT): then every item fails instead.
   */
  nothingCommitted(error: unknown): boolean;
}

interface Waiting<TItem, TResult> extends Submitted<TItem> {
  resolve(result: TResult): void;
  reject(error: unknown): void;
}

/**
 * Group commit: items of one key (an organization) that arrive while a batch
 * of that key is being committed go together into the next batch — one
 * transaction, one lock on the key's serial resource, one WAL flush for all of
 * them. An item that arrives while nothing of its key is in flight is
 * committed at once, so a quiet key pays no extra latency; batches grow only
 * as fast as callers queue up behind a busy one.
 *
 * A failing batch does not fail its innocent members: when it is known to have
 * committed nothing, its items are retried one by one, and each gets its own
 * result or error.
 */
export class GroupCommit<TItem, TResult> {
  /** A key has an entry exactly while its batches are being committed. */
  private readonly queues = new Map<string, Array<Waiting<TItem, TResult>>>();
  /** Batches run in the context of the group commit's creation, not of whichever request came first. */
  private readonly scope = new AsyncResource('GroupCommit');

  constructor(
    private readonly commit: CommitBatch<TItem, TResult>,
    private readonly options: GroupCommitOptions,
  ) {
    if (!Number.isInteger(options.maxBatch) || options.maxBatch < 1)
      throw new Error(`maxBatch must be a positive integer, got ${options.maxBatch}`);
  }

  submit(key: string, item: TItem): Promise<TResult> {
    return new Promise<TResult>((resolve, reject) => {
      const waiting: Waiting<TItem, TResult> = {
        item,
        inSubmitterContext: AsyncResource.bind(<T>(work: () => T): T => work()),
        resolve,
        reject,
      };
      const queue = this.queues.get(key);
      if (queue) {
        queue.push(waiting);
        return;
      }
      this.queues.set(key, [waiting]);
      void this.scope.runInAsyncScope(() => this.drain(key));
    });
  }

  private async drain(key: string): Promise<void> {
    const queue = this.queues.get(key) as Array<Waiting<TItem, TResult>>;
    while (queue.length > 0) await this.settle(key, queue.splice(0, this.options.maxBatch));
    // Nothing can have been queued since the check: no await in between.
    this.queues.delete(key);
  }

  private async settle(key: string, batch: Array<Waiting<TItem, TResult>>): Promise<void> {
    let results: TResult[];
    try {
      results = await this.commit(key, batch);
    } catch (error) {
      if (batch.length === 1 || !this.options.nothingCommitted(error)) {
        for (const waiting of batch) waiting.reject(error);
        return;
      }
      for (const waiting of batch) await this.settle(key, [waiting]);
      return;
    }
    if (results.length !== batch.length) {
      // Committed, but answers cannot be matched to items: a bug, never retried.
      const error = new Error(`a batch of ${batch.length} answered ${results.length} results`);
      for (const waiting of batch) waiting.reject(error);
      return;
    }
    batch.forEach((waiting, index) => waiting.resolve(results[index] as TResult));
  }
}
