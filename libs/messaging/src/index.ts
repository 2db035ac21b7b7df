export { BrokerConnection, brokerUrl } from './lib/broker/broker-connection';
export type { BrokerConnectionOptions } from './lib/broker/broker-connection';
export * from './lib/outbox';
export * from './lib/consumer';
