import * as amqplib from 'amqplib';
import { createTestVhost, type TestVhost } from '@helpdesk/testing';
import { listDeadLetters } from './dead-letters';
import { ConfirmedPublisher } from './publish-confirmed';
import { consumerQueues, declareConsumerTopology } from './topology';

describe('consumer topology', () => {
  let vhost: TestVhost;
  let connection: amqplib.ChannelModel;

  beforeEach(async () => {
    vhost = await createTestVhost({ prefix: 'topology' });
    connection = await amqplib.connect(vhost.url);
  });

  afterEach(async () => {
    await connection.close();
    await vhost.drop();
  });

  const queues = consumerQueues('topology-service', 1);
  const bindings = [{ exchange: 'ticket.events', routingKey: 'ticket.created' }];

  it('keeps existing queues whose arguments changed, with a warning, and still routes', async () => {
    const warnings: string[] = [];
    const logger = { warn: (message: string) => warnings.push(message) };
    await declareConsumerTopology(
      connection,
      { queues, retryDelaysMs: [100], deliveryLimit: 5, bindings },
      logger,
    );
    expect(warnings).toEqual([]);

    await declareConsumerTopology(
      connection,
      { queues, retryDelaysMs: [200], deliveryLimit: 7, bindings },
      logger,
    );

    expect(warnings).toEqual([
      expect.stringContaining(`queue ${queues.work} exists with other arguments`),
      expect.stringContaining(`queue ${queues.retry[0]} exists with other arguments`),
    ]);
    const publisher = await ConfirmedPublisher.open(connection);
    await publisher.publish('ticket.events', 'ticket.created', Buffer.from('{}'), {});
    const channel = await connection.createChannel();
    expect((await channel.checkQueue(queues.work)).messageCount).toBe(1);
  });

  it('reports a publish that reaches no queue instead of letting it vanish', async () => {
    const publisher = await ConfirmedPublisher.open(connection);

    await expect(
      publisher.publish('', 'no-such-queue', Buffer.from('{}'), { persistent: true }),
    ).rejects.toThrow(/unroutable/);
  });

  it('says a dead-letter queue does not exist instead of creating it', async () => {
    await expect(listDeadLetters({ url: vhost.url, queue: 'nobody.events.dlq' })).rejects.toThrow(
      /NOT_FOUND/,
    );
  });
});
