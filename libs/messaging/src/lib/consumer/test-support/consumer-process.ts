/**
 * A consuming service in its own process, for the crash tests: with
 * FIXTURE_EXIT=after-commit it dies right after committing a message's effects
 * and before acking it, the worst moment for at-least-once delivery; with
 * before-commit, in the middle of the handler, every time (a poison message).
 * Env: FIXTURE_DATABASE_URL, FIXTURE_BROKER_URL, FIXTURE_DELIVERY_LIMIT.
 * Tells its parent 'ready' over IPC.
 */
import { NestFactory } from '@nestjs/core';
import { EventConsumer } from '../event-consumer';
import { ConsumerFixtureModule, FixtureControl } from './consumer-fixture';

async function main(): Promise<void> {
  const app = await NestFactory.createApplicationContext(
    ConsumerFixtureModule.with({
      databaseUrl: required('FIXTURE_DATABASE_URL'),
      brokerUrl: required('FIXTURE_BROKER_URL'),
      deliveryLimit: Number(process.env['FIXTURE_DELIVERY_LIMIT'] ?? 20),
    }),
    { logger: ['error'] },
  );
  const exitOn = process.env['FIXTURE_EXIT'];
  if (exitOn === 'before-commit' || exitOn === 'after-commit')
    app.get(FixtureControl).exitOn = exitOn;
  await app.init();
  await app.get(EventConsumer).waitUntilConnected();
  process.once('SIGTERM', () => void app.close().then(() => process.exit(0)));
  process.send?.('ready');
}

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
