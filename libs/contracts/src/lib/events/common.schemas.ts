import {
  arrayOf,
  integer,
  nullable,
  object,
  oneOf,
  optional,
  string,
  type Schema,
} from '../schema/schema';

/** The field vocabulary shared by several events (API.md is the source of the values). */

export const ROLES = ['requester', 'agent', 'manager', 'admin'] as const;
export type Role = (typeof ROLES)[number];
export const role = () => oneOf(ROLES);

export const TICKET_STATUSES = ['open', 'in_progress', 'pending', 'resolved', 'closed'] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];
export const ticketStatus = () => oneOf(TICKET_STATUSES);

export const TICKET_PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export type TicketPriority = (typeof TICKET_PRIORITIES)[number];
export const ticketPriority = () => oneOf(TICKET_PRIORITIES);

// Deliberately loose: the producing service validated the address on input;
// here we only refuse what can never be an address.
export const email = () =>
  string({ max: 254, pattern: /^[^\s@]+@[^\s@]+$/, patternName: 'an e-mail address' });
export const personName = () => string({ max: 200 });
export const ticketTitle = () => string({ max: 200 });
export const ticketDescription = () => string({ max: 20000 });
export const ticketTags = () => arrayOf(string({ max: 50 }), { max: 50 });
export const departmentName = () => string({ max: 200 });
export const departmentDescription = () => nullable(string({ min: 0, max: 2000 }));
export const ipAddress = () => nullable(string({ max: 64 }));
export const userAgent = () => nullable(string({ max: 512 }));
/** An error message from a remote system, cut by the producer to a bounded length. */
export const errorMessage = () => string({ max: 2000 });

export const organizationSlug = () =>
  string({
    max: 63,
    pattern: /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/,
    patternName: 'a lowercase slug (a-z, 0-9, -)',
  });
/** An IANA time zone name such as `Europe/Berlin`. */
export const timezone = () =>
  string({ max: 64, pattern: /^[A-Za-z0-9_+\-/]+$/, patternName: 'an IANA time zone name' });

const clockTime = () =>
  string({ min: 5, max: 5, pattern: /^(?:[01]\d|2[0-3]):[0-5]\d$/, patternName: 'a time HH:MM' });
/** When an organization works; SLA clocks of `businessHoursOnly` policies only run inside it. */
export const businessHours = () =>
  nullable(
    object({
      /** ISO weekdays: 1 = Monday … 7 = Sunday. */
      weekdays: arrayOf(integer({ min: 1, max: 7 }), { max: 7 }),
      start: clockTime(),
      end: clockTime(),
    }),
  );

/** One changed field of an `*.updated` event: the value before and after. */
export function change<T>(schema: Schema<T>) {
  return optional(object({ from: schema, to: schema }));
}

/** Shared by all `*.updated` events: `changes` names at least one field. */
export function changes<S extends Record<string, Schema<unknown>>>(fields: S) {
  return object(fields, { nonEmpty: true });
}
