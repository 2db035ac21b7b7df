import { Logger, LoggerService } from '@nestjs/common';
import * as amqplib from 'amqplib';

const DEFAULT_BROKER_URL = 'amqp://guest:guest@127.0.0.1:5672';

/** The broker every service talks to: RABBITMQ_URL, else the local one. */
export function brokerUrl(env: NodeJS.ProcessEnv = process.env): string {
  return env['RABBITMQ_URL'] || DEFAULT_BROKER_URL;
}

export interface BrokerConnectionOptions {
  url?: string;
  /** Shown in the management UI and API (`GET /api/connections`), so operators and tests can find it. */
  connectionName: string;
  /**
   * Runs on every new connection, first and after each recovery, before it
   * counts as connected: channels do not survive a reconnect, so open them and
   * (re)declare topology here. A throw drops this connection and retries.
   */
  onConnect: (model: amqplib.ChannelModel) => Promise<void>;
  logger?: LoggerService;
  /** Reconnect backoff; defaults suit a broker restart (0.2 s doubling to 5 s). */
  initialDelayMs?: number;
  maxDelayMs?: number;
}

/**
 * One AMQP connection that heals itself: amqplib's built-in recovery
 * reconnects with backoff for as long as the process lives, and `onConnect`
 * rebuilds what lived on the old connection. Callers never hold a channel
 * across reconnects; they get fresh ones from `onConnect`.
 */
export class BrokerConnection {
  private model: amqplib.RecoveringChannelModel | undefined;
  private isConnected = false;
  private closing = false;
  private readonly connectedWaiters = new Set<() => void>();
  private readonly disconnectListeners = new Set<(error?: Error) => void>();
  private readonly logger: LoggerService;

  private constructor(private readonly options: BrokerConnectionOptions) {
    this.logger = options.logger ?? new Logger(`Broker:${options.connectionName}`);
  }

  /** Starts connecting in the background; use `waitUntilConnected` to wait for the first connection. */
  static open(options: BrokerConnectionOptions): BrokerConnection {
    const connection = new BrokerConnection(options);
    connection.start();
    return connection;
  }

  get connected(): boolean {
    return this.isConnected;
  }

  onDisconnect(listener: (error?: Error) => void): void {
    this.disconnectListeners.add(listener);
  }

  async waitUntilConnected(timeoutMs = 30_000): Promise<void> {
    if (this.isConnected) return;
    if (this.closing) throw new Error(`${this.options.connectionName}: the connection is closed`);
    await new Promise<void>((resolve, reject) => {
      const done = (): void => {
        clearTimeout(timer);
        this.connectedWaiters.delete(done);
        resolve();
      };
      const timer = setTimeout(() => {
        this.connectedWaiters.delete(done);
        reject(
          new Error(
            `${this.options.connectionName}: no connection to the broker within ${timeoutMs} ms`,
          ),
        );
      }, timeoutMs);
      this.connectedWaiters.add(done);
    });
  }

  async close(): Promise<void> {
    this.closing = true;
    this.isConnected = false;
    const model = this.model;
    this.model = undefined;
    await model?.close().catch(() => undefined);
  }

  private start(): void {
    const { connectionName } = this.options;
    const url = this.options.url ?? brokerUrl();
    // connect() resolves at once (waitForConnect: false); it can only reject on bad options.
    void amqplib
      .connect(url, {
        clientProperties: { connection_name: connectionName },
        recovery: {
          waitForConnect: false,
          initialDelay: this.options.initialDelayMs ?? 200,
          maxDelay: this.options.maxDelayMs ?? 5_000,
          maxRetries: Infinity,
          setup: async (model: amqplib.ChannelModel) => {
            await this.options.onConnect(model);
            this.markConnected();
          },
        },
      })
      .then((model) => {
        if (this.closing) {
          void model.close().catch(() => undefined);
          return;
        }
        this.model = model;
        model.on('disconnect', (error: Error) => this.markDisconnected(error));
        model.on('connect-failed', (error: Error) =>
          this.logger.warn(`cannot reach the broker: ${error.message}`),
        );
        model.on('reconnect-failed', (error: Error) =>
          this.logger.error(`gave up reconnecting to the broker: ${error.message}`),
        );
        // Recovery reports errors as events; an unhandled 'error' would crash the process.
        model.on('error', (error: Error) => this.logger.warn(`broker error: ${error.message}`));
      })
      .catch((error: unknown) =>
        this.logger.error(`cannot open a broker connection: ${String(error)}`),
      );
  }

  private markConnected(): void {
    if (this.closing) return;
    const wasConnected = this.isConnected;
    this.isConnected = true;
    if (!wasConnected) this.logger.log('connected to the broker');
    for (const resolve of [...this.connectedWaiters]) resolve();
  }

  private markDisconnected(error?: Error): void {
    if (!this.isConnected) return;
    this.isConnected = false;
    if (!this.closing)
      this.logger.warn(`lost the broker connection: ${error?.message ?? 'closed'}`);
    for (const listener of this.disconnectListeners) listener(error);
  }
}
