export { OutboxModule } from './outbox.module';
export type { OutboxModuleOptions, OutboxRelayOptions } from './outbox-options';
export { outboxMigrations } from './outbox.migration';
export { raise } from './raise';
export type { RaisableEventClass, RaiseInput } from './raise';
export { currentEventContext, withEventContext } from './event-context';
export type { EventContext } from './event-context';
export {
  InvalidIntegrationEventError,
  OutboxOutsideTransactionError,
} from './invalid-integration-event.error';
export { OutboxRelay } from './outbox-relay';
export { OutboxHealthIndicator } from './outbox.health';
