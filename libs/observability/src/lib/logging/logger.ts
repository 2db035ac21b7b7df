import { hostname } from 'node:os';
import { LoggerService } from '@nestjs/common';
import { DestinationStream, Level, Logger, LevelWithSilent, pino } from 'pino';
import { currentContext } from './request-context';

const LEVELS: readonly LevelWithSilent[] = [
  'fatal',
  'error',
  'warn',
  'info',
  'debug',
  'trace',
  'silent',
];
const DEFAULT_LEVEL: LevelWithSilent = 'info';

export interface CreateLoggerOptions {
  /** Written on every line as `service`. */
  serviceName: string;
  /** fatal | error | warn | info | debug | trace | silent; defaults to LOG_LEVEL, then info. */
  level?: string;
  /** Where lines go; stdout when omitted. Tests pass a stream to read the lines back. */
  destination?: DestinationStream;
}

function isLevel(value: string): value is LevelWithSilent {
  return (LEVELS as readonly string[]).includes(value);
}

/**
 * A pino logger writing one JSON object per line with an ISO `time`, the
 * level as a word, `service`, and the `requestId`/`correlationId` of the
 * request context the line is written in.
 */
export function createLogger(options: CreateLoggerOptions): Logger {
  const requested = (options.level ?? process.env['LOG_LEVEL'] ?? DEFAULT_LEVEL)
    .trim()
    .toLowerCase();
  const level = isLevel(requested) ? requested : DEFAULT_LEVEL;
  const logger = pino(
    {
      level,
      base: { service: options.serviceName, pid: process.pid, hostname: hostname() },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      mixin: contextFields,
    },
    // Asynchronous: a line per request written synchronously was one write(2) on the
    // request's path; now lines written while a write is in flight go out together
    // in the next one. pino flushes what is pending when the process exits.
    options.destination ?? pino.destination({ dest: 1, sync: false }),
  );
  if (level !== requested)
    logger.warn({ requestedLevel: requested }, `unknown log level, using ${DEFAULT_LEVEL}`);
  return logger;
}

function contextFields(): Record<string, string> {
  const context = currentContext();
  if (!context) return {};
  return context.requestId === undefined
    ? { correlationId: context.correlationId }
    : { requestId: context.requestId, correlationId: context.correlationId };
}

/** Nest passes `error(message, stack, context)`; a stack is recognised by its frames. */
const STACK_FRAME = /\n\s+at /;

/**
 * Nest's logger interface on top of pino, so framework messages and
 * `new Logger(Context)` calls in application code come out as the same JSON.
 */
export class PinoLoggerService implements LoggerService {
  constructor(readonly logger: Logger) {}

  log(message: unknown, ...optionalParams: unknown[]): void {
    this.write('info', message, optionalParams);
  }

  error(message: unknown, ...optionalParams: unknown[]): void {
    this.write('error', message, optionalParams);
  }

  warn(message: unknown, ...optionalParams: unknown[]): void {
    this.write('warn', message, optionalParams);
  }

  debug(message: unknown, ...optionalParams: unknown[]): void {
    this.write('debug', message, optionalParams);
  }

  verbose(message: unknown, ...optionalParams: unknown[]): void {
    this.write('trace', message, optionalParams);
  }

  fatal(message: unknown, ...optionalParams: unknown[]): void {
    this.write('fatal', message, optionalParams);
  }

  private write(level: Level, message: unknown, optionalParams: unknown[]): void {
    if (!this.logger.isLevelEnabled(level)) return;
    const fields: Record<string, unknown> = {};
    const params = [...optionalParams];
    const last = params[params.length - 1];
    if (typeof last === 'string' && !(level === 'error' && STACK_FRAME.test(last))) {
      fields['context'] = last;
      params.pop();
    }
    for (const param of params) {
      if (param instanceof Error) fields['err'] = param;
      else if (typeof param === 'string' && STACK_FRAME.test(param)) fields['stack'] = param;
      else if (param !== null && typeof param === 'object') Object.assign(fields, param);
      else if (param !== undefined) fields['extra'] = param;
    }
    if (message instanceof Error) {
      fields['err'] = message;
      this.logger[level](fields, message.message);
    } else if (message !== null && typeof message === 'object') {
      const { msg, message: text, ...rest } = message as Record<string, unknown>;
      Object.assign(fields, rest);
      this.logger[level](fields, String(msg ?? text ?? ''));
    } else {
      this.logger[level](fields, String(message));
    }
  }
}
