/**
 * Runs tasks one after another per key and concurrently across keys: events of
 * one aggregate are handled in the order they arrived, while a slow aggregate
 * does not hold up the others.
 */
export class PerKeySerializer {
  private readonly tails = new Map<string, Promise<void>>();

  run(key: string, task: () => Promise<void>): Promise<void> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    // A task's failure is its own business; it must not stop the next one.
    const next = previous.then(task).catch(() => undefined);
    this.tails.set(key, next);
    void next.finally(() => {
      if (this.tails.get(key) === next) this.tails.delete(key);
    });
    return next;
  }
}
