import { spawnSync } from 'node:child_process';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { Logger } from '@nestjs/common';
import { CapturedLines } from '../../test-support/boot-nest-app';
import { PinoLoggerService, createLogger } from './logger';
import { currentContext, runWithContext } from './request-context';

describe('createLogger', () => {
  const originalLogLevel = process.env['LOG_LEVEL'];
  afterEach(() => {
    if (originalLogLevel === undefined) delete process.env['LOG_LEVEL'];
    else process.env['LOG_LEVEL'] = originalLogLevel;
  });

  it('writes one JSON object per line with time, level word, service and message', () => {
    const out = new CapturedLines();
    createLogger({ serviceName: 'ticket-service', destination: out }).info(
      { ticketId: 't-1' },
      'ticket created',
    );

    expect(out.lines).toHaveLength(1);
    const [line] = out.lines;
    expect(line).toMatchObject({
      level: 'info',
      service: 'ticket-service',
      msg: 'ticket created',
      ticketId: 't-1',
    });
    expect(new Date(String(line['time'])).toISOString()).toBe(line['time']);
  });

  it('adds requestId and correlationId to lines written inside a request context, across awaits', async () => {
    const out = new CapturedLines();
    const logger = createLogger({ serviceName: 'svc', destination: out });

    await runWithContext({ requestId: 'req-1', correlationId: 'req-1' }, async () => {
      logger.info('before await');
      await nextTurn();
      await new Promise((resolve) => setTimeout(resolve, 1));
      logger.info('after await');
    });
    logger.info('outside');

    expect(
      out.lines.map((line) => [line['msg'], line['requestId'], line['correlationId']]),
    ).toEqual([
      ['before await', 'req-1', 'req-1'],
      ['after await', 'req-1', 'req-1'],
      ['outside', undefined, undefined],
    ]);
  });

  it('keeps concurrent requests apart', async () => {
    const out = new CapturedLines();
    const logger = createLogger({ serviceName: 'svc', destination: out });
    const handle = (id: string) =>
      runWithContext({ requestId: id, correlationId: id }, async () => {
        await nextTurn();
        logger.info(`handling ${id}`);
      });

    await Promise.all([handle('a'), handle('b'), handle('c')]);

    for (const line of out.lines) expect(line['msg']).toBe(`handling ${String(line['requestId'])}`);
    expect(out.lines).toHaveLength(3);
  });

  it('carries only the correlation id for work that did not start with a request (a message consumer)', () => {
    const out = new CapturedLines();
    const logger = createLogger({ serviceName: 'svc', destination: out });

    runWithContext({ correlationId: 'corr-from-event' }, () => {
      expect(currentContext()).toEqual({ correlationId: 'corr-from-event' });
      logger.info('event handled');
    });

    expect(out.lines[0]).toMatchObject({ correlationId: 'corr-from-event' });
    expect(out.lines[0]).not.toHaveProperty('requestId');
  });

  it('writes to stdout without blocking, and loses no line when the process exits at once', () => {
    const script = `
      const { createLogger } = require(${JSON.stringify(require.resolve('./logger'))});
      const logger = createLogger({ serviceName: 'exit-test' });
      for (let line = 1; line <= 500; line += 1) logger.info({ line }, 'before exit');
      logger.fatal('last words');
      process.exit(1);`;
    const run = spawnSync(process.execPath, ['-r', '@swc-node/register', '-e', script], {
      encoding: 'utf8',
    });

    const lines = run.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(run.status).toBe(1);
    expect(lines).toHaveLength(501);
    expect(lines[500]).toMatchObject({ level: 'fatal', msg: 'last words', service: 'exit-test' });
  });

  it('follows LOG_LEVEL', () => {
    process.env['LOG_LEVEL'] = 'warn';
    const out = new CapturedLines();
    const logger = createLogger({ serviceName: 'svc', destination: out });

    logger.info('dropped');
    logger.warn('kept');

    expect(out.lines.map((line) => line['msg'])).toEqual(['kept']);
  });

  it('falls back to info on an unknown LOG_LEVEL and says so', () => {
    process.env['LOG_LEVEL'] = 'loud';
    const out = new CapturedLines();
    const logger = createLogger({ serviceName: 'svc', destination: out });

    logger.debug('dropped');
    logger.info('kept');

    expect(out.lines.map((line) => [line['level'], line['msg']])).toEqual([
      ['warn', 'unknown log level, using info'],
      ['info', 'kept'],
    ]);
  });
});

describe('PinoLoggerService', () => {
  function nestLogger(level = 'trace') {
    const out = new CapturedLines();
    return {
      out,
      service: new PinoLoggerService(createLogger({ serviceName: 'svc', level, destination: out })),
    };
  }

  it('writes Nest calls with their context', () => {
    const { out, service } = nestLogger();

    service.log('Mapped {/x, GET} route', 'RouterExplorer');
    service.warn('slow', 'Outbox');
    service.debug('detail', 'Outbox');
    service.verbose('more detail', 'Outbox');

    expect(out.lines.map((line) => [line['level'], line['context'], line['msg']])).toEqual([
      ['info', 'RouterExplorer', 'Mapped {/x, GET} route'],
      ['warn', 'Outbox', 'slow'],
      ['debug', 'Outbox', 'detail'],
      ['trace', 'Outbox', 'more detail'],
    ]);
  });

  it('keeps the stack of error(message, stack, context)', () => {
    const { out, service } = nestLogger();
    const stack = new Error('boom').stack ?? '';

    service.error('relay failed', stack, 'OutboxRelay');

    expect(out.lines[0]).toMatchObject({
      level: 'error',
      msg: 'relay failed',
      stack,
      context: 'OutboxRelay',
    });
  });

  it('serialises an Error and merges object messages into the line', () => {
    const { out, service } = nestLogger();

    service.error(new Error('connection lost'), 'Broker');
    service.log({ msg: 'event published', eventType: 'ticket.created' }, 'Outbox');

    expect(out.lines[0]).toMatchObject({
      level: 'error',
      msg: 'connection lost',
      context: 'Broker',
    });
    expect((out.lines[0]['err'] as { message: string }).message).toBe('connection lost');
    expect(out.lines[1]).toMatchObject({
      msg: 'event published',
      eventType: 'ticket.created',
      context: 'Outbox',
    });
  });

  it("serves Nest's Logger facade once installed, inside the request context", () => {
    const { out, service } = nestLogger('info');
    Logger.overrideLogger(service);
    try {
      runWithContext({ requestId: 'r-9', correlationId: 'r-9' }, () =>
        new Logger('TicketsController').log('listing'),
      );
    } finally {
      Logger.overrideLogger(false);
    }

    expect(out.lines).toEqual([
      expect.objectContaining({ msg: 'listing', context: 'TicketsController', requestId: 'r-9' }),
    ]);
  });
});
