import { AsyncLocalStorage } from 'node:async_hooks';
import { GroupCommit, type Submitted } from './group-commit';

/** A commit function whose batches the test finishes by hand. */
function controlledCommits() {
  const batches: Array<{
    key: string;
    items: string[];
    submitted: ReadonlyArray<Submitted<string>>;
    finish(results?: string[]): void;
    fail(error: unknown): void;
  }> = [];
  const commit = (key: string, submitted: ReadonlyArray<Submitted<string>>) =>
    new Promise<string[]>((resolve, reject) => {
      const items = submitted.map(({ item }) => item);
      batches.push({
        key,
        items,
        submitted,
        finish: (results = items.map((item) => `done:${item}`)) => resolve(results),
        fail: reject,
      });
    });
  return { batches, commit };
}

const flush = () => new Promise((resolve) => setImmediate(resolve));

describe('GroupCommit', () => {
  it('commits an item at once when nothing of its key is in flight', async () => {
    const { batches, commit } = controlledCommits();
    const group = new GroupCommit(commit, { maxBatch: 10, nothingCommitted: () => true });

    const answer = group.submit('org-1', 'a');
    await flush();

    expect(batches.map((batch) => batch.items)).toEqual([['a']]);
    batches[0]?.finish();
    await expect(answer).resolves.toBe('done:a');
  });

  it('puts what arrives during a commit into the next batch, capped at maxBatch', async () => {
    const { batches, commit } = controlledCommits();
    const group = new GroupCommit(commit, { maxBatch: 2, nothingCommitted: () => true });

    const answers = ['a', 'b', 'c', 'd'].map((item) => group.submit('org-1', item));
    await flush();
    expect(batches.map((batch) => batch.items)).toEqual([['a']]);

    batches[0]?.finish();
    await flush();
    expect(batches.map((batch) => batch.items)).toEqual([['a'], ['b', 'c']]);
    batches[1]?.finish();
    await flush();
    batches[2]?.finish();

    await expect(Promise.all(answers)).resolves.toEqual(['done:a', 'done:b', 'done:c', 'done:d']);
    expect(batches.map((batch) => batch.items)).toEqual([['a'], ['b', 'c'], ['d']]);
  });

  it('keeps keys apart: another organization does not wait', async () => {
    const { batches, commit } = controlledCommits();
    const group = new GroupCommit(commit, { maxBatch: 10, nothingCommitted: () => true });

    void group.submit('org-1', 'a');
    const other = group.submit('org-2', 'x');
    await flush();

    expect(batches.map(({ key, items }) => [key, items])).toEqual([
      ['org-1', ['a']],
      ['org-2', ['x']],
    ]);
    batches[1]?.finish();
    await expect(other).resolves.toBe('done:x');
  });

  it('retries the items of a batch that committed nothing one by one, so one bad item fails alone', async () => {
    const { batches, commit } = controlledCommits();
    const group = new GroupCommit(commit, { maxBatch: 10, nothingCommitted: () => true });
    const first = group.submit('org-1', 'first');
    await flush();
    const answers = ['good', 'bad', 'fine'].map((item) =>
      group.submit('org-1', item).catch((error: Error) => `failed:${error.message}`),
    );
    batches[0]?.finish();
    await first;
    await flush();

    batches[1]?.fail(new Error('check constraint'));
    for (let index = 2; index < 5; index += 1) {
      await flush();
      const batch = batches[index];
      if (batch?.items[0] === 'bad') batch.fail(new Error('check constraint'));
      else batch?.finish();
    }

    await expect(Promise.all(answers)).resolves.toEqual([
      'done:good',
      'failed:check constraint',
      'done:fine',
    ]);
    expect(batches.slice(1).map((batch) => batch.items)).toEqual([
      ['good', 'bad', 'fine'],
      ['good'],
      ['bad'],
      ['fine'],
    ]);
  });

  it('fails every item, without retrying, when the batch may have committed', async () => {
    const { batches, commit } = controlledCommits();
    const group = new GroupCommit(commit, { maxBatch: 10, nothingCommitted: () => false });
    const first = group.submit('org-1', 'first');
    await flush();
    const answers = ['a', 'b'].map((item) =>
      group.submit('org-1', item).catch((error: Error) => `failed:${error.message}`),
    );
    batches[0]?.finish();
    await first;
    await flush();

    batches[1]?.fail(new Error('connection lost during COMMIT'));

    await expect(Promise.all(answers)).resolves.toEqual([
      'failed:connection lost during COMMIT',
      'failed:connection lost during COMMIT',
    ]);
    expect(batches).toHaveLength(2);
  });

  it('runs batches outside any submitter’s context, and lets them step into each one', async () => {
    const requestId = new AsyncLocalStorage<string>();
    const seen: Array<{ batch: string | undefined; items: Array<string | undefined> }> = [];
    const group = new GroupCommit<string, string>(
      async (_key, batch) => {
        seen.push({
          batch: requestId.getStore(),
          items: batch.map((submitted) => submitted.inSubmitterContext(() => requestId.getStore())),
        });
        await flush();
        return batch.map(({ item }) => item);
      },
      { maxBatch: 10, nothingCommitted: () => true },
    );

    await Promise.all(
      ['r1', 'r2', 'r3'].map((id) => requestId.run(id, () => group.submit('org-1', id))),
    );

    expect(seen).toEqual([
      { batch: undefined, items: ['r1'] },
      { batch: undefined, items: ['r2', 'r3'] },
    ]);
  });
});
