/**
 * An event the producer must not write: consumers would refuse it, so the
 * command fails instead (a producer bug never reaches the bus).
 */
export class InvalidIntegrationEventError extends Error {
  constructor(
    readonly eventType: string,
    readonly reason: string,
  ) {
    super(`refusing to publish ${eventType}: ${reason}`);
    this.name = 'InvalidIntegrationEventError';
  }
}

/** Writing to the outbox outside a transaction would lose the event if the caller's change failed. */
export class OutboxOutsideTransactionError extends Error {
  constructor(eventType: string) {
    super(
      `${eventType} was published outside withTransaction: an integration event must be written ` +
        'in the same transaction as the change it reports, or one can happen without the other. ' +
        'Wrap the command handler’s work in withTransaction(dataSource, ...).',
    );
    this.name = 'OutboxOutsideTransactionError';
  }
}
