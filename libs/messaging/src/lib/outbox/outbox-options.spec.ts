import { backoffMs, resolveRelayOptions } from './outbox-options';

describe('outbox relay options', () => {
  it('fills the defaults and names the broker connection after the service', () => {
    const options = resolveRelayOptions({ serviceName: 'ticket-service' });

    expect(options).toMatchObject({
      connectionName: 'ticket-service.outbox-relay',
      batchSize: 200,
      pollIntervalMs: 1_000,
      unroutable: 'failure',
      maxPendingAgeMs: 300_000,
      enabled: true,
    });
  });

  it.each([
    [{ batchSize: 0 }, /batchSize/],
    [{ batchSize: 2.5 }, /batchSize/],
    [{ batchSize: 10_000 }, /batchSize/],
    [{ pollIntervalMs: -1 }, /pollIntervalMs/],
    [{ retentionMs: Number.NaN }, /retentionMs/],
    [{ unroutable: 'ignore' as 'failure' }, /unroutable/],
  ])('refuses %p at boot', (relay, message) => {
    expect(() => resolveRelayOptions({ serviceName: 'ticket-service', relay })).toThrow(message);
  });

  it('refuses a missing service name', () => {
    expect(() => resolveRelayOptions({ serviceName: '' })).toThrow(/serviceName/);
  });

  it('backs off exponentially up to the cap', () => {
    expect([0, 1, 2, 3, 10, 1_000].map((attempt) => backoffMs(attempt, 100, 1_000))).toEqual([
      100, 200, 400, 800, 1_000, 1_000,
    ]);
  });
});
