/**
 * Realistic helpdesk rows for the seed: titles and descriptions built from a
 * small vocabulary (so full-text search has words to find, each in a known
 * share of the tickets), statuses that depend on a ticket's age, SLA clocks in
 * the exact jsonb shape ticket-service stores, and comments whose first public
 * staff answer is the ticket's first response.
 *
 * Pseudo-random (mulberry32) rather than crypto-random: cheap enough for 100,000 rows.
 */
import { randomUUID } from 'node:crypto';
import { TICKET_PRIORITIES, type TicketPriority, type TicketStatus } from '@helpdesk/contracts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export type Random = () => number;

/** mulberry32: tiny, fast, good enough for test data. */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const pick = <T>(random: Random, items: readonly T[]): T =>
  items[Math.floor(random() * items.length)];

function weighted<T extends string>(random: Random, weights: Readonly<Record<T, number>>): T {
  const entries = Object.entries(weights) as Array<[T, number]>;
  let roll = random() * entries.reduce((sum, [, weight]) => sum + weight, 0);
  for (const [value, weight] of entries) {
    roll -= weight;
    if (roll < 0) return value;
  }
  return entries[entries.length - 1][0];
}

/** Each product belongs to a category (a tag and a department). */
const CATALOGUE: Record<string, readonly string[]> = {
  hardware: [
    'printer',
    'laptop',
    'monitor',
    'keyboard',
    'headset',
    'webcam',
    'scanner',
    'projector',
    'docking station',
    'phone',
  ],
  software: [
    'outlook',
    'calendar',
    'teams',
    'slack',
    'zoom',
    'jira',
    'confluence',
    'salesforce',
    'excel',
    'browser',
  ],
  network: ['vpn', 'wifi', 'router', 'firewall', 'proxy', 'dns', 'network drive', 'intranet'],
  access: ['password', 'mfa', 'sso', 'badge', 'account', 'license', 'permissions', 'mailbox'],
  billing: [
    'invoice',
    'refund',
    'subscription',
    'payment',
    'receipt',
    'payroll',
    'expense report',
    'credit card',
  ],
  facilities: [
    'elevator',
    'parking',
    'heating',
    'air conditioning',
    'coffee machine',
    'meeting room',
    'desk',
    'lights',
  ],
};
const CATEGORIES = Object.keys(CATALOGUE);

const PROBLEMS = [
  'is not working',
  'keeps crashing',
  'is very slow',
  'shows an error',
  'cannot connect',
  'stopped syncing',
  'is missing',
  'was charged twice',
  'needs a reset',
  'says access denied',
  'will not turn on',
  'freezes on startup',
  'times out',
  'makes a strange noise',
  'failed to update',
  'is locked',
];
const CONTEXTS = [
  'after the latest update',
  'since this morning',
  'on the third floor',
  'for the whole team',
  'in the Berlin office',
  'when working from home',
  'during the monthly close',
  'for new hires',
  'again',
  'since Monday',
  '',
  '',
];
const DETAILS = [
  'I already tried restarting it and clearing the cache.',
  'Colleagues next to me see the same thing.',
  'It worked fine until yesterday afternoon.',
  'The screen only shows a spinning wheel.',
  'I attached a screenshot of the message.',
  'Logging out and back in did not help.',
  'It happens roughly every ten minutes.',
  'Our customer is waiting on this.',
];
const IMPACTS = [
  'This blocks the quarterly report.',
  'We cannot serve customers until it is fixed.',
  'Not urgent, but annoying.',
  'The whole sales team is affected.',
  'Please help before the board meeting.',
  '',
];
const EXTRA_TAGS = [
  'vip',
  'escalated',
  'bug',
  'how-to',
  'onboarding',
  'remote',
  'outage',
  'follow-up',
];

const AGENT_REPLIES = [
  'Thanks for reporting, we are looking into the {product} now.',
  'Could you send a screenshot of the {product} error and the time it happened?',
  'I have reset the {product} on our side, please try again.',
  'A fix for the {product} is rolling out today.',
  'We replaced the {product}; let us know if anything is still off.',
];
const REQUESTER_REPLIES = [
  'Still happening with the {product}, unfortunately.',
  'It works again, thank you!',
  'Here is the screenshot you asked for.',
  'Any update on this? The {product} is still down.',
];
const INTERNAL_NOTES = [
  'Escalated to the network team, ticket linked.',
  'Known issue with this {product} model, vendor case open.',
  'Requester is a VIP, handle with priority.',
  'Waiting for the replacement {product} from the warehouse.',
];

/** The words the benchmark searches for: single products, each in about 1/50 of the tickets. */
export const SEARCH_WORDS = [
  'printer',
  'vpn',
  'invoice',
  'refund',
  'password',
  'outlook',
  'firewall',
  'elevator',
  'webcam',
  'payroll',
];

/** The contract's default SLA policy (what an organization without its own gets), in minutes. */
const FIRST_RESPONSE_MINUTES: Record<TicketPriority, number> = {
  urgent: 60,
  high: 240,
  normal: 480,
  low: 1440,
};
const RESOLUTION_MINUTES: Record<TicketPriority, number> = {
  urgent: 240,
  high: 1440,
  normal: 2880,
  low: 5760,
};

const PRIORITY_WEIGHTS: Record<TicketPriority, number> = {
  low: 20,
  normal: 55,
  high: 20,
  urgent: 5,
};
const RECENT_STATUS: Record<TicketStatus, number> = {
  open: 45,
  in_progress: 25,
  pending: 10,
  resolved: 15,
  closed: 5,
};
const OLD_STATUS: Record<TicketStatus, number> = {
  open: 8,
  in_progress: 5,
  pending: 4,
  resolved: 13,
  closed: 70,
};

export const DEPARTMENT_OF_CATEGORY: Record<string, string> = {
  hardware: 'IT',
  software: 'IT',
  network: 'IT',
  access: 'IT',
  billing: 'Finance',
  facilities: 'Facilities',
};
export const DEPARTMENT_NAMES = ['IT', 'Finance', 'Facilities', 'Customer Support'];

export interface DirectoryUserRow {
  id: string;
  email: string;
  name: string;
  role: 'requester' | 'agent' | 'manager';
  departmentId: string | null;
}

export interface People {
  staff: DirectoryUserRow[];
  requesters: DirectoryUserRow[];
  departments: Map<string, string>; // name → id
}

const FIRST_NAMES = [
  'Ada',
  'Grace',
  'Alan',
  'Linus',
  'Margaret',
  'Ken',
  'Barbara',
  'Dennis',
  'Radia',
  'Edsger',
  'Frances',
  'Tim',
];
const LAST_NAMES = [
  'Lovelace',
  'Hopper',
  'Turing',
  'Torvalds',
  'Hamilton',
  'Thompson',
  'Liskov',
  'Ritchie',
  'Perlman',
  'Dijkstra',
];

/** Staff (agents, a few managers) and requesters for one organization; rows for directory_user. */
export function makePeople(
  random: Random,
  domain: string,
  agents: number,
  requesters: number,
): People {
  const departments = new Map(DEPARTMENT_NAMES.map((name) => [name, randomUUID()]));
  const departmentIds = [...departments.values()];
  const person = (role: DirectoryUserRow['role'], index: number): DirectoryUserRow => ({
    id: randomUUID(),
    email: `${role}-${index}@${domain}`,
    name: `${pick(random, FIRST_NAMES)} ${pick(random, LAST_NAMES)}`,
    role,
    departmentId: role === 'requester' ? null : pick(random, departmentIds),
  });
  const managers = Math.max(1, Math.round(agents / 8));
  return {
    staff: Array.from({ length: agents }, (_, i) =>
      person(i < managers ? 'manager' : 'agent', i + 1),
    ),
    requesters: Array.from({ length: requesters }, (_, i) => person('requester', i + 1)),
    departments,
  };
}

interface StoredClock {
  budgetMinutes: number;
  startedAt: string;
  consumedMs: number;
  runningSince: string | null;
}

export interface TicketRow {
  id: string;
  number: number;
  title: string;
  description: string;
  status: TicketStatus;
  priority: TicketPriority;
  priorityRank: number;
  tags: string; // a text[] literal
  requesterId: string;
  assigneeId: string | null;
  departmentId: string | null;
  createdAt: string;
  updatedAt: string;
  firstResponseAt: string | null;
  resolvedAt: string | null;
  closedAt: string | null;
  slaClocks: string; // jsonb text
  firstResponseDueAt: string | null;
  resolutionDueAt: string | null;
  firstResponseBreached: boolean;
  resolutionBreached: boolean;
  version: number;
}

export interface CommentRow {
  id: string;
  ticketId: string;
  authorId: string;
  body: string;
  internal: boolean;
  createdAt: string;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
const between = (random: Random, from: number, to: number) =>
  from + Math.floor(random() * Math.max(0, to - from));
const sentence = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/** `count` creation instants spread over the last year, oldest first (so numbers follow time). */
export function creationTimes(random: Random, count: number, now: number): Float64Array {
  const times = new Float64Array(count);
  for (let i = 0; i < count; i += 1) times[i] = between(random, now - 365 * DAY, now - 5 * MINUTE);
  return times.sort();
}

/**
 * One ticket and its comments, consistent with the domain's rules: a ticket
 * past `open` has been answered (the first public staff comment), resolved and
 * closed ones have both clocks stopped, `pending` pauses the resolution clock
 * (no due time), and a target whose due time has passed is flagged breached —
 * as the SLA sweeper would have done — so the sweeper finds nothing to do.
 */
export function makeTicket(
  random: Random,
  people: People,
  input: { number: number; createdAt: number; now: number; comments: number },
): { ticket: TicketRow; comments: CommentRow[] } {
  const { number, createdAt, now } = input;
  const category = pick(random, CATEGORIES);
  const product = pick(random, CATALOGUE[category]);
  const problem = pick(random, PROBLEMS);
  const context = pick(random, CONTEXTS);
  const title = sentence(`${product} ${problem}${context ? ` ${context}` : ''}`);
  const description = [
    `Hi team, our ${product} ${problem}${context ? ` ${context}` : ''}.`,
    pick(random, DETAILS),
    random() < 0.3 ? `The error code is E${100 + Math.floor(random() * 900)}.` : '',
    pick(random, IMPACTS),
    'Thanks!',
  ]
    .filter(Boolean)
    .join(' ');
  const tags = [category, ...(random() < 0.3 ? [pick(random, EXTRA_TAGS)] : [])];
  const priority = weighted(random, PRIORITY_WEIGHTS);
  const status = weighted(random, now - createdAt < 14 * DAY ? RECENT_STATUS : OLD_STATUS);
  const requester = pick(random, people.requesters);
  const departmentId =
    random() < 0.8 ? (people.departments.get(DEPARTMENT_OF_CATEGORY[category]) ?? null) : null;

  const firstResponseBudget = FIRST_RESPONSE_MINUTES[priority] * MINUTE;
  const resolutionBudget = RESOLUTION_MINUTES[priority] * MINUTE;
  const latest = now - MINUTE;
  const answered = status !== 'open' || (random() < 0.3 && latest - createdAt > 10 * MINUTE);
  const firstResponseAt = answered
    ? Math.min(latest, createdAt + between(random, 5 * MINUTE, 1.5 * firstResponseBudget))
    : null;
  const finished = status === 'resolved' || status === 'closed';
  const resolvedAt = finished
    ? Math.min(
        latest,
        Math.max(
          firstResponseAt ?? createdAt,
          createdAt + between(random, 0.2 * resolutionBudget, 1.5 * resolutionBudget),
        ),
      )
    : null;
  const closedAt =
    status === 'closed' && resolvedAt !== null
      ? Math.min(latest, resolvedAt + between(random, HOUR, 72 * HOUR))
      : null;
  const pendingSince =
    status === 'pending' ? between(random, firstResponseAt ?? createdAt, latest) : null;
  const assignee = status === 'open' && random() < 0.5 ? null : pick(random, people.staff);

  // First response: stopped at the answer (due time kept), else running since creation.
  const firstResponseDue = createdAt + firstResponseBudget;
  const firstResponse: StoredClock = {
    budgetMinutes: FIRST_RESPONSE_MINUTES[priority],
    startedAt: new Date(createdAt).toISOString(),
    consumedMs: firstResponseAt === null ? 0 : firstResponseAt - createdAt,
    runningSince: firstResponseAt === null ? new Date(createdAt).toISOString() : null,
  };
  const firstResponseBreached =
    firstResponseAt === null ? firstResponseDue < now : firstResponseAt > firstResponseDue;

  // Resolution: running in open/in_progress; paused in pending (no due time); stopped once resolved (due kept).
  const resolutionStop = resolvedAt ?? pendingSince;
  const resolution: StoredClock = {
    budgetMinutes: RESOLUTION_MINUTES[priority],
    startedAt: new Date(createdAt).toISOString(),
    consumedMs: resolutionStop === null ? 0 : resolutionStop - createdAt,
    runningSince: resolutionStop === null ? new Date(createdAt).toISOString() : null,
  };
  const resolutionDue = status === 'pending' ? null : createdAt + resolutionBudget;
  const resolutionBreached =
    resolutionStop === null
      ? createdAt + resolutionBudget < now
      : resolutionStop - createdAt > resolutionBudget;

  const ticketId = randomUUID();
  const comments: CommentRow[] = [];
  const end = closedAt ?? resolvedAt ?? latest;
  const staffAuthor = () => assignee ?? pick(random, people.staff);
  const say = (lines: readonly string[]) => pick(random, lines).replaceAll('{product}', product);
  let count = Math.floor(random() * (2 * input.comments + 1));
  if (firstResponseAt !== null) {
    count = Math.max(1, count);
    comments.push({
      id: randomUUID(),
      ticketId,
      authorId: staffAuthor().id,
      body: say(AGENT_REPLIES),
      internal: false,
      createdAt: new Date(firstResponseAt).toISOString(),
    });
  }
  const times: number[] = [];
  for (let i = comments.length; i < count; i += 1)
    times.push(between(random, firstResponseAt ?? createdAt, end));
  for (const at of times.sort((a, b) => a - b)) {
    const roll = random();
    const internal = roll < 0.15;
    // Before the first response no staff member has answered publicly.
    const fromRequester = !internal && (firstResponseAt === null || roll < 0.6);
    comments.push({
      id: randomUUID(),
      ticketId,
      authorId: fromRequester ? requester.id : staffAuthor().id,
      body: say(internal ? INTERNAL_NOTES : fromRequester ? REQUESTER_REPLIES : AGENT_REPLIES),
      internal,
      createdAt: new Date(at).toISOString(),
    });
  }

  const lastComment = times.length > 0 ? times[times.length - 1] : createdAt;
  const updatedAt = Math.max(
    createdAt,
    firstResponseAt ?? 0,
    resolvedAt ?? 0,
    closedAt ?? 0,
    pendingSince ?? 0,
    lastComment,
  );
  const statusChanges = { open: 0, in_progress: 1, pending: 2, resolved: 2, closed: 3 }[status];
  return {
    ticket: {
      id: ticketId,
      number,
      title,
      description,
      status,
      priority,
      priorityRank: TICKET_PRIORITIES.indexOf(priority),
      tags: `{${tags.join(',')}}`,
      requesterId: requester.id,
      assigneeId: assignee?.id ?? null,
      departmentId,
      createdAt: new Date(createdAt).toISOString(),
      updatedAt: new Date(updatedAt).toISOString(),
      firstResponseAt: iso(firstResponseAt),
      resolvedAt: iso(resolvedAt),
      closedAt: iso(closedAt),
      slaClocks: JSON.stringify({ firstResponse, resolution }),
      firstResponseDueAt:
        firstResponseAt === null && status === 'pending' ? null : iso(firstResponseDue),
      resolutionDueAt: iso(resolutionDue),
      firstResponseBreached,
      resolutionBreached,
      version: 1 + statusChanges + comments.length + (assignee ? 1 : 0),
    },
    comments,
  };
}
