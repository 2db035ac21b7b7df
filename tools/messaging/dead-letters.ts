/**
 * Inspect and replay a consumer's dead-letter queue.
 *
 *   dead-letters list   --queue audit-service.events.dlq [--url amqp://...]
 *   dead-letters replay --queue audit-service.events.dlq (--id <eventId> ... | --all) [--to <queue>] [--url amqp://...]
 *
 * Run with: SWC_NODE_PROJECT=tsconfig.base.json node -r @swc-node/register tools/messaging/dead-letters.ts ...
 * The logic lives in @helpdesk/messaging (listDeadLetters / replayDeadLetters); this only parses arguments and prints.
 */
import { parseArgs } from 'node:util';
import { type DeadLetter, listDeadLetters, replayDeadLetters } from '@helpdesk/messaging';

const USAGE =
  'usage: dead-letters list|replay --queue <name>.dlq [--id <eventId>]... [--all] [--to <queue>] [--url amqp://...]';

function line(letter: DeadLetter): string {
  return [
    letter.eventId ?? '(no id)',
    letter.eventType ?? '(no type)',
    `attempts=${letter.attempts}`,
    `reason=${letter.reason}`,
    `last=${letter.lastFailureAt ?? '?'}`,
    `first=${letter.firstFailureAt ?? '?'}`,
    `error=${JSON.stringify(letter.error ?? '')}`,
  ].join('  ');
}

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      queue: { type: 'string' },
      id: { type: 'string', multiple: true },
      all: { type: 'boolean', default: false },
      to: { type: 'string' },
      url: { type: 'string' },
    },
  });
  const [command] = positionals;
  if (!values.queue || (command !== 'list' && command !== 'replay')) {
    console.error(USAGE);
    return 2;
  }
  const queue = { queue: values.queue, url: values.url };
  if (command === 'list') {
    const letters = await listDeadLetters(queue);
    for (const letter of letters) console.log(line(letter));
    console.log(`${letters.length} dead letter(s) in ${values.queue}`);
    return 0;
  }
  if (!values.all && !values.id?.length) {
    console.error('replay needs --id <eventId> (repeatable) or --all');
    return 2;
  }
  const moved = await replayDeadLetters({
    ...queue,
    eventIds: values.id,
    all: values.all,
    to: values.to,
  });
  for (const letter of moved) console.log(`moved ${line(letter)}`);
  console.log(`${moved.length} message(s) moved back from ${values.queue}`);
  const missing = (values.id ?? []).filter((id) => !moved.some((letter) => letter.eventId === id));
  if (missing.length) console.error(`not found: ${missing.join(', ')}`);
  return missing.length ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  },
);
