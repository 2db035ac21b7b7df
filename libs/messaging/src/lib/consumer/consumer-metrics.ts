import { Counter, Gauge, Histogram, Registry } from 'prom-client';

export type ConsumeOutcome = 'handled' | 'duplicate' | 'retried' | 'dead_lettered' | 'refused';

/** The consumer's series in the app's registry (`GET /metrics`). */
export class ConsumerMetrics {
  private readonly messages: Counter<'consumer' | 'outcome'>;
  private readonly duration: Histogram<'consumer' | 'outcome'>;
  private readonly queueDepth: Gauge<'queue'>;
  private readonly deadLetterDepth: Gauge<'queue'>;

  constructor(
    registry: Registry,
    private readonly consumer: string,
  ) {
    const registers = [registry];
    this.messages = new Counter({
      name: 'events_consumed_total',
      help: 'Integration events taken off the work queue, by outcome.',
      labelNames: ['consumer', 'outcome'],
      registers,
    });
    this.duration = new Histogram({
      name: 'event_handling_duration_seconds',
      help: 'Time from delivery to the decision (ack, retry or park), by outcome.',
      labelNames: ['consumer', 'outcome'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    this.queueDepth = new Gauge({
      name: 'event_consumer_queue_depth',
      help: 'Messages ready in the work queue (consumer lag), sampled.',
      labelNames: ['queue'],
      registers,
    });
    this.deadLetterDepth = new Gauge({
      name: 'event_consumer_dead_letters',
      help: 'Messages parked in the dead-letter queue, sampled.',
      labelNames: ['queue'],
      registers,
    });
  }

  /** Starts timing one delivery; call the result with its outcome. */
  startTimer(): (outcome: ConsumeOutcome) => void {
    const end = this.duration.startTimer({ consumer: this.consumer });
    return (outcome) => {
      end({ outcome });
      this.messages.inc({ consumer: this.consumer, outcome });
    };
  }

  depths(queue: string, deadLetterQueue: string, ready: number, parked: number): void {
    this.queueDepth.set({ queue }, ready);
    this.deadLetterDepth.set({ queue: deadLetterQueue }, parked);
  }
}
