import { eventually } from './eventually';

describe('eventually', () => {
  it('resolves with the result once the assertion starts passing', async () => {
    let becameTrue = false;
    const timer = setTimeout(() => (becameTrue = true), 100);
    let attempts = 0;

    const result = await eventually(
      () => {
        attempts += 1;
        expect(becameTrue).toBe(true);
        return 'consistent';
      },
      { timeoutMs: 5_000, intervalMs: 10 },
    );

    clearTimeout(timer);
    expect(result).toBe('consistent');
    expect(attempts).toBeGreaterThan(1);
  });

  it('accepts async assertions', async () => {
    let calls = 0;

    await expect(
      eventually(
        async () => {
          calls += 1;
          if (calls < 3) throw new Error('not yet');
          return calls;
        },
        { intervalMs: 1 },
      ),
    ).resolves.toBe(3);
  });

  it('rethrows the last failure once the deadline has passed', async () => {
    const failures: Error[] = [];

    const outcome = eventually(
      () => {
        const failure = new Error(`still wrong (attempt ${failures.length + 1})`);
        failures.push(failure);
        throw failure;
      },
      { timeoutMs: 200, intervalMs: 20 },
    );

    await expect(outcome).rejects.toThrow(/still wrong/);
    const thrown = await outcome.catch((error: unknown) => error);
    expect(failures.length).toBeGreaterThan(1);
    expect(thrown).toBe(failures[failures.length - 1]);
  });
});
