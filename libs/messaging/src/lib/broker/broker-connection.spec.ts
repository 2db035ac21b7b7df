import type { ChannelModel } from 'amqplib';
import { createTestVhost, eventually, TestVhost } from '@helpdesk/testing';
import { BrokerConnection } from './broker-connection';

describe('BrokerConnection', () => {
  let vhost: TestVhost;
  let connection: BrokerConnection | undefined;

  beforeEach(async () => {
    vhost = await createTestVhost({ prefix: 'broker' });
  });

  afterEach(async () => {
    await connection?.close();
    await vhost.drop();
  });

  it('redeclares what it needs on every new connection after the broker drops it', async () => {
    const setups: ChannelModel[] = [];
    connection = BrokerConnection.open({
      url: vhost.url,
      connectionName: 'broker-spec',
      initialDelayMs: 50,
      onConnect: async (model) => {
        const channel = await model.createChannel();
        await channel.assertQueue('survives-reconnects', { durable: true });
        await channel.close();
        setups.push(model);
      },
    });
    const disconnects: unknown[] = [];
    connection.onDisconnect((error) => disconnects.push(error));
    await connection.waitUntilConnected();

    await eventually(async () => expect(await vhost.closeConnections('broker-spec')).toBe(1));

    await eventually(() => {
      expect(disconnects).toHaveLength(1);
      expect(setups).toHaveLength(2);
      expect(connection?.connected).toBe(true);
    });
  });

  it('says so when the broker cannot be reached in time', async () => {
    connection = BrokerConnection.open({
      url: 'amqp://guest:guest@127.0.0.1:1',
      connectionName: 'broker-spec-unreachable',
      onConnect: async () => undefined,
      logger: { log: () => undefined, warn: () => undefined, error: () => undefined },
    });

    await expect(connection.waitUntilConnected(300)).rejects.toThrow(/no connection to the broker/);
    expect(connection.connected).toBe(false);
  });
});
