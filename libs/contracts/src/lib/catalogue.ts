import type { CatalogueEventClass } from './define-event';
import {
  DepartmentCreated,
  DepartmentDeleted,
  DepartmentUpdated,
} from './events/department.events';
import { NotificationEmailFailed, NotificationEmailSent } from './events/notification.events';
import { OrganizationCreated, OrganizationUpdated } from './events/organization.events';
import { SessionRevoked } from './events/session.events';
import {
  TicketAssigned,
  TicketCommentAdded,
  TicketCreated,
  TicketDeleted,
  TicketSlaBreached,
  TicketStatusChanged,
  TicketUpdated,
} from './events/ticket.events';
import {
  UserCreated,
  UserDeleted,
  UserInvited,
  UserLoginFailed,
  UserLoginSucceeded,
  UserPasswordResetRequested,
  UserRoleChanged,
  UserUpdated,
} from './events/user.events';
import { WebhookDeliveryFailed } from './events/webhook.events';

/**
 * Every event class of every supported version. Adding a version means adding
 * its class here next to the older one; removing one means consumers start
 * refusing (dead-lettering) it, so only do it once no producer emits it.
 */
const EVENT_CLASSES = [
  OrganizationCreated,
  OrganizationUpdated,
  DepartmentCreated,
  DepartmentUpdated,
  DepartmentDeleted,
  UserCreated,
  UserInvited,
  UserUpdated,
  UserRoleChanged,
  UserDeleted,
  UserPasswordResetRequested,
  UserLoginSucceeded,
  UserLoginFailed,
  SessionRevoked,
  TicketCreated,
  TicketUpdated,
  TicketStatusChanged,
  TicketAssigned,
  TicketDeleted,
  TicketCommentAdded,
  TicketSlaBreached,
  NotificationEmailSent,
  NotificationEmailFailed,
  WebhookDeliveryFailed,
] as const;

type AnyEventClass = (typeof EVENT_CLASSES)[number];
export type EventType = AnyEventClass['eventType'];
/** The event class(es) of one type: one per supported version. */
export type EventClassOf<T extends EventType> = Extract<AnyEventClass, { readonly eventType: T }>;
/** An event instance of one type, as a consumer may receive it (any supported version). */
export type EventOf<T extends EventType> = InstanceType<EventClassOf<T>>;
/** The payload of one event type (the union over its supported versions). */
export type EventPayload<T extends EventType> = EventOf<T>['payload'];

const byTypeAndVersion = new Map<string, Map<number, CatalogueEventClass>>();
for (const eventClass of EVENT_CLASSES as readonly CatalogueEventClass[]) {
  const versions =
    byTypeAndVersion.get(eventClass.eventType) ?? new Map<number, CatalogueEventClass>();
  if (versions.has(eventClass.version)) {
    // A programming error in this file: fail at load, before anything is published.
    throw new Error(`duplicate catalogue entry ${eventClass.eventType} v${eventClass.version}`);
  }
  versions.set(eventClass.version, eventClass);
  byTypeAndVersion.set(eventClass.eventType, versions);
}

/** Every event type of the catalogue, once each. */
export const EVENT_TYPES: readonly EventType[] = Object.freeze([
  ...byTypeAndVersion.keys(),
] as EventType[]);

/** The versions this build understands for a type, ascending; empty for an unknown type. */
export function supportedVersions(eventType: string): readonly number[] {
  return [...(byTypeAndVersion.get(eventType)?.keys() ?? [])].sort((a, b) => a - b);
}

/**
 * The class of an event type: of the given version, or of the newest one
 * (what producers raise). Undefined when the type or version is unknown.
 */
export function eventClassFor(
  eventType: string,
  version?: number,
): CatalogueEventClass | undefined {
  const versions = byTypeAndVersion.get(eventType);
  if (!versions) return undefined;
  return versions.get(version ?? Math.max(...versions.keys()));
}

export function isEventType(value: string): value is EventType {
  return byTypeAndVersion.has(value);
}
