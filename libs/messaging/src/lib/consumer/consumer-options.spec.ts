import { resolveConsumerOptions } from './consumer-options';

describe('resolveConsumerOptions', () => {
  it('fills the defaults', () => {
    expect(resolveConsumerOptions({ serviceName: 'audit-service', url: 'amqp://x' })).toEqual({
      serviceName: 'audit-service',
      prefetch: 50,
      retryDelaysMs: [1_000, 10_000, 60_000],
      deliveryLimit: 20,
      extraBindings: [],
      inboxRetentionDays: 30,
      inboxPurgeIntervalMs: 3_600_000,
      monitorIntervalMs: 5_000,
      url: 'amqp://x',
    });
  });

  it.each([
    [{ serviceName: 'Audit' }, /serviceName must be kebab-case/],
    [{ serviceName: 'audit-service', prefetch: 0 }, /prefetch must be a positive integer/],
    [{ serviceName: 'audit-service', retryDelaysMs: [100, -1] }, /retryDelaysMs\[1\]/],
    [{ serviceName: 'audit-service', deliveryLimit: 1.5 }, /deliveryLimit/],
  ])('refuses %j', (options, message) => {
    expect(() => resolveConsumerOptions(options)).toThrow(message);
  });
});
