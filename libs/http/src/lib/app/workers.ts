import cluster, { type Worker } from 'node:cluster';

/** The message a worker sends its siblings through the primary. */
interface SiblingMessage {
  helpdeskSibling: string;
  payload: unknown;
}

const isSiblingMessage = (message: unknown): message is SiblingMessage =>
  typeof message === 'object' &&
  message !== null &&
  typeof (message as SiblingMessage).helpdeskSibling === 'string';

/** A worker that dies more often than this is broken, not unlucky: the service stops. */
const MAX_RESTARTS_PER_MINUTE = 5;
const RESTART_DELAY_MS = 1_000;
const STOP_TIMEOUT_MS = 15_000;

/** `HTTP_WORKERS`: processes serving the port; 1 (the default) serves in this process. */
export function httpWorkers(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env['HTTP_WORKERS'];
  if (raw === undefined || raw === '') return 1;
  const count = Number(raw);
  if (!Number.isInteger(count) || count < 1 || count > 64)
    throw new Error(`HTTP_WORKERS must be an integer from 1 to 64, got "${raw}"`);
  return count;
}

/**
 * Serves in `count` processes that share the port (node:cluster): one Node
 * event loop uses one core, so this is how a service uses more. Every worker
 * is a full replica — HTTP, outbox relay, consumers, sweepers — which the
 * services are built to run side by side (SKIP LOCKED, advisory locks, inbox
 * dedupe). The primary only forks, restarts a crashed worker, and relays
 * sibling announcements; SIGTERM/SIGINT stop the workers gracefully.
 */
export async function serveInWorkers(
  serve: () => Promise<void>,
  count = httpWorkers(),
): Promise<void> {
  if (count <= 1 || cluster.isWorker) return serve();
  superviseWorkers(count);
}

function superviseWorkers(count: number): void {
  /** Set once stopping: what the primary exits with when the last worker is gone. */
  let exitCode: number | undefined;
  const restarts: number[] = [];
  const fork = () => {
    const worker = cluster.fork();
    worker.on('message', (message: unknown) => relayToSiblings(worker, message));
  };
  cluster.on('exit', (worker, code, signal) => {
    if (exitCode !== undefined) {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(exitCode);
      return;
    }
    const now = Date.now();
    restarts.push(now);
    while (restarts.length > 0 && (restarts[0] as number) < now - 60_000) restarts.shift();
    const broken = restarts.length > MAX_RESTARTS_PER_MINUTE;
    console.error(
      `worker ${worker.process.pid} exited (${signal ?? `code ${code}`}); ` +
        (broken ? 'too many restarts, stopping' : 'restarting'),
    );
    if (broken) stop(1);
    else setTimeout(fork, RESTART_DELAY_MS);
  });
  const stop = (code = 0) => {
    if (exitCode !== undefined) return;
    exitCode = code;
    const workers = Object.values(cluster.workers ?? {}).filter(Boolean) as Worker[];
    if (workers.length === 0) process.exit(code);
    for (const worker of workers) worker.process.kill('SIGTERM');
    setTimeout(() => {
      for (const worker of workers) if (!worker.isDead()) worker.process.kill('SIGKILL');
      process.exit(code);
    }, STOP_TIMEOUT_MS).unref();
  };
  process.on('SIGTERM', () => stop());
  process.on('SIGINT', () => stop());
  for (let index = 0; index < count; index += 1) fork();
}

function relayToSiblings(sender: Worker, message: unknown): void {
  if (!isSiblingMessage(message)) return;
  for (const worker of Object.values(cluster.workers ?? {}))
    if (worker && worker !== sender && worker.isConnected()) worker.send(message);
}

/**
 * Tells this process's sibling workers (none unless HTTP_WORKERS > 1) — e.g.
 * to forget a cached value this worker has just made stale. Best effort and
 * same host only: other replicas are not reached.
 */
export function announceToSiblings(channel: string, payload: unknown): void {
  if (!cluster.isWorker || !process.send) return;
  const message: SiblingMessage = { helpdeskSibling: channel, payload };
  process.send(message);
}

/** Receives what sibling workers announce on `channel`; returns the unsubscribe. */
export function onSiblingAnnouncement(
  channel: string,
  receive: (payload: unknown) => void,
): () => void {
  if (!cluster.isWorker) return () => undefined;
  const listener = (message: unknown) => {
    if (isSiblingMessage(message) && message.helpdeskSibling === channel) receive(message.payload);
  };
  process.on('message', listener);
  return () => process.off('message', listener);
}
