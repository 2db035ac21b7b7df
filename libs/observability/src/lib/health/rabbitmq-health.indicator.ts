import { Inject, Injectable, Optional } from '@nestjs/common';
import { ChannelModel, connect } from 'amqplib';
import { HealthCheckResult, HealthIndicator } from './health-indicator';

export const RABBITMQ_HEALTH_OPTIONS = Symbol('RABBITMQ_HEALTH_OPTIONS');

export interface RabbitMqHealthOptions {
  /** Defaults to RABBITMQ_URL, then the local broker. */
  url?: string;
  /** Budget for opening the connection; below the health endpoint's own timeout so the cause is reported. */
  timeoutMs?: number;
  /** How long a successful check is reused. */
  cacheMs?: number;
}

const DEFAULT_URL = 'amqp://guest:guest@127.0.0.1:5672';

/**
 * `rabbitmq`: up when a connection to the broker opens (handshake and
 * authentication included). Opening a connection costs the broker more than
 * a probe should, so a success is reused for a few seconds and concurrent
 * probes share one attempt; a failure is never cached, so recovery shows at once.
 */
@Injectable()
export class RabbitMqHealthIndicator implements HealthIndicator {
  readonly name = 'rabbitmq';
  private readonly url: string;
  private readonly timeoutMs: number;
  private readonly cacheMs: number;
  private lastSuccess: { result: HealthCheckResult; expiresAt: number } | undefined;
  private attemptInFlight: Promise<HealthCheckResult> | undefined;

  constructor(
    @Optional() @Inject(RABBITMQ_HEALTH_OPTIONS) options: RabbitMqHealthOptions | null = null,
  ) {
    this.url = options?.url ?? process.env['RABBITMQ_URL'] ?? DEFAULT_URL;
    this.timeoutMs = options?.timeoutMs ?? 1_500;
    this.cacheMs = options?.cacheMs ?? 5_000;
  }

  check(): Promise<HealthCheckResult> {
    if (this.lastSuccess && Date.now() < this.lastSuccess.expiresAt)
      return Promise.resolve(this.lastSuccess.result);
    this.attemptInFlight ??= this.connectOnce().finally(() => (this.attemptInFlight = undefined));
    return this.attemptInFlight;
  }

  private async connectOnce(): Promise<HealthCheckResult> {
    const connecting = connect(this.url, {
      timeout: this.timeoutMs,
      clientProperties: { connection_name: 'health-check' },
    });
    let timer: NodeJS.Timeout | undefined;
    const gaveUp = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`no connection within ${this.timeoutMs} ms`)),
        this.timeoutMs,
      );
    });
    try {
      const connection = await Promise.race([connecting, gaveUp]);
      await Promise.race([closeQuietly(connection), gaveUp]);
      const result: HealthCheckResult = {
        status: 'up',
        details: { checkedAt: new Date().toISOString() },
      };
      this.lastSuccess = { result, expiresAt: Date.now() + this.cacheMs };
      return result;
    } catch (error) {
      // A connection that opens after we gave up must still be closed, or each slow probe leaks one.
      connecting.then(closeQuietly, () => undefined);
      return { status: 'down', error: error instanceof Error ? error.message : String(error) };
    } finally {
      clearTimeout(timer);
    }
  }
}

async function closeQuietly(connection: ChannelModel): Promise<void> {
  // An 'error' event without a listener would crash the process; the connection is being discarded anyway.
  connection.on('error', () => undefined);
  await connection.close().catch(() => undefined);
}
