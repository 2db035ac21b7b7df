import type { LoggerService } from '@nestjs/common';
import type { Channel, ConsumeMessage } from 'amqplib';
import type { DataSource } from 'typeorm';
import type { IntegrationEventBase } from '@helpdesk/contracts';
import { withTransaction } from '@helpdesk/database';
import { runWithContext } from '@helpdesk/observability';
import type { ConsumeOutcome, ConsumerMetrics } from './consumer-metrics';
import {
  attemptsOf,
  type DeadLetterReason,
  errorText,
  failureHeaders,
  originOf,
  republishOptions,
} from './failure-headers';
import type { IntegrationHandlerRegistry } from './handler-registry';
import { recordInInbox } from './inbox';
import type { ConfirmedPublisher } from './publish-confirmed';
import type { ConsumerQueues } from './topology';

/** What handling one delivery needs; the channels are those of the connection that delivered it. */
export interface DeliveryContext {
  /** The inbox's `consumer` column. */
  consumer: string;
  queues: ConsumerQueues;
  dataSource: DataSource;
  registry: IntegrationHandlerRegistry;
  channel: Channel;
  publisher: ConfirmedPublisher;
  metrics: ConsumerMetrics;
  logger: LoggerService;
}

/** Ack failures mean the channel is gone; the broker redelivers and the inbox absorbs the repeat. */
function settle(context: DeliveryContext, message: ConsumeMessage, ack: boolean): void {
  try {
    if (ack) context.channel.ack(message);
    else context.channel.nack(message, false, true);
  } catch (error) {
    context.logger.warn?.(
      `could not settle delivery ${message.fields.deliveryTag}: ${errorText(error)}`,
    );
  }
}

/**
 * Moves the message to its next stop (a retry queue or the DLQ) and only then
 * acks it. If the move fails, the delivery is returned to the queue instead:
 * never lost, and a message that can never be moved ends in the DLQ through
 * the work queue's delivery limit.
 */
async function moveThenAck(
  context: DeliveryContext,
  message: ConsumeMessage,
  queue: string,
  failure: { attempts: number; error: string; reason?: DeadLetterReason },
): Promise<boolean> {
  const headers = failureHeaders(message.properties, {
    ...failure,
    origin: originOf(message.properties, message.fields),
    at: new Date(),
  });
  try {
    await context.publisher.publish(
      '',
      queue,
      message.content,
      republishOptions(message.properties, headers),
    );
  } catch (error) {
    context.logger.error(`could not move a message to ${queue}: ${errorText(error)}`);
    settle(context, message, false);
    return false;
  }
  settle(context, message, true);
  return true;
}

/** A message that is not a valid event of the catalogue: parked at once, never retried. */
export async function refuseDelivery(
  context: DeliveryContext,
  message: ConsumeMessage,
  reason: string,
): Promise<void> {
  const done = context.metrics.startTimer();
  context.logger.warn?.(
    `refused message ${message.properties.messageId ?? '(no id)'} from ${message.fields.exchange || 'default'}/${message.fields.routingKey}: ${reason}`,
  );
  const moved = await moveThenAck(context, message, context.queues.deadLetter, {
    attempts: attemptsOf(message.properties),
    error: reason,
    reason: 'refused',
  });
  if (moved) done('refused');
}

/**
 * Handles an accepted event: the inbox row and every handler's effects commit
 * together, then the delivery is acked. A duplicate commits nothing. A failure
 * rolls everything back and sends the message to its next retry, or to the DLQ
 * after the last one.
 */
export async function processEvent(
  context: DeliveryContext,
  message: ConsumeMessage,
  event: IntegrationEventBase,
): Promise<ConsumeOutcome | undefined> {
  const done = context.metrics.startTimer();
  let outcome: ConsumeOutcome;
  try {
    outcome = await runWithContext({ correlationId: event.metadata.correlationId }, () =>
      withTransaction(context.dataSource, async (manager) => {
        if (!(await recordInInbox(manager, context.consumer, event))) return 'duplicate' as const;
        await context.registry.dispatch(event);
        return 'handled' as const;
      }),
    );
  } catch (error) {
    const attempts = attemptsOf(message.properties) + 1;
    const retryQueue = context.queues.retry[attempts - 1];
    const failure = { attempts, error: errorText(error) };
    context.logger.warn?.(
      `${event.eventType} ${event.eventId} failed (attempt ${attempts}): ${failure.error}`,
    );
    outcome = retryQueue ? 'retried' : 'dead_lettered';
    const moved = retryQueue
      ? await moveThenAck(context, message, retryQueue, failure)
      : await moveThenAck(context, message, context.queues.deadLetter, {
          ...failure,
          reason: 'failed',
        });
    if (!moved) return undefined;
    done(outcome);
    return outcome;
  }
  settle(context, message, true);
  done(outcome);
  return outcome;
}
