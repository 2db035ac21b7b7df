import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * What every log line written on behalf of one unit of work carries.
 * For an HTTP request `correlationId` is the request id; a message consumer
 * sets it from the incoming event's metadata so one story can be followed
 * across services.
 */
export interface RequestContext {
  readonly correlationId: string;
  /** Present when the work started with an HTTP request. */
  readonly requestId?: string;
  /** The client's address and user agent, for the audit trail of the events the request causes. */
  readonly clientIp?: string | null;
  readonly userAgent?: string | null;
}

const storage = new AsyncLocalStorage<RequestContext>();

/** Runs `work` (and everything it awaits or schedules) inside `context`. */
export function runWithContext<T>(context: RequestContext, work: () => T): T {
  return storage.run(context, work);
}

/** The context of the work in progress, or undefined outside any. */
export function currentContext(): RequestContext | undefined {
  return storage.getStore();
}
