import { connect } from 'amqplib';
import { createTestVhost, sweepStaleTestVhosts } from './test-vhost';
import { uniqueName } from './unique-name';

const managementUrl = process.env['RABBITMQ_MANAGEMENT_URL'] || 'http://127.0.0.1:15672';
const authorization = `Basic ${Buffer.from('guest:guest').toString('base64')}`;

async function vhostExists(vhost: string): Promise<boolean> {
  const response = await fetch(`${managementUrl}/api/vhosts/${encodeURIComponent(vhost)}`, {
    headers: { authorization },
  });
  return response.ok;
}

describe('createTestVhost', () => {
  it('creates a vhost the broker user can use through the returned URL', async () => {
    const testVhost = await createTestVhost({ prefix: 'orders' });
    try {
      const connection = await connect(testVhost.url);
      const channel = await connection.createChannel();
      const queue = await channel.assertQueue('inbox', { durable: false });
      await connection.close();

      expect(testVhost.vhost).toMatch(/^t_orders_/);
      expect(queue.queue).toBe('inbox');
      expect(await vhostExists(testVhost.vhost)).toBe(true);
    } finally {
      await testVhost.drop();
    }
  });

  it('drops the vhost, so its URL no longer connects', async () => {
    const testVhost = await createTestVhost();

    await testVhost.drop();
    await testVhost.drop();

    expect(await vhostExists(testVhost.vhost)).toBe(false);
    await expect(connect(testVhost.url)).rejects.toThrow();
  });

  it('says what to do when the management API is unreachable', async () => {
    await expect(createTestVhost({ managementUrl: 'http://127.0.0.1:9' })).rejects.toThrow(
      /management API unreachable at http:\/\/127\.0\.0\.1:9.*rabbitmq-plugins enable rabbitmq_management/,
    );
  });

  it('sweeps only stale test vhosts', async () => {
    const fresh = await createTestVhost({ prefix: 'fresh' });
    const killedRunVhost = `t_killed_${Math.floor(Date.now() / 1000 - 7 * 3600).toString(36)}_0badc0de`;
    await fetch(`${managementUrl}/api/vhosts/${killedRunVhost}`, {
      method: 'PUT',
      headers: { authorization },
    });

    const swept = await sweepStaleTestVhosts(6);

    expect(swept).toContain(killedRunVhost);
    expect(await vhostExists(killedRunVhost)).toBe(false);
    expect(await vhostExists(fresh.vhost)).toBe(true);
    await fresh.drop();
  });
});

describe('uniqueName', () => {
  it('keeps the prefix and never repeats', () => {
    const names = Array.from({ length: 1000 }, () => uniqueName('ticket.events'));

    expect(new Set(names).size).toBe(1000);
    expect(names.every((name) => name.startsWith('ticket.events-'))).toBe(true);
  });
});
