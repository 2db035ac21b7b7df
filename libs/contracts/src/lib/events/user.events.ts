import { defineEvent } from '../define-event';
import {
  boolean,
  isoTimestamp,
  nullable,
  object,
  oneOf,
  secret,
  string,
  uuid,
  type Infer,
} from '../schema/schema';
import { change, changes, email, ipAddress, personName, role, userAgent } from './common.schemas';

/**
 * Published by user-service on `user.events`; aggregateType `user`, aggregateId
 * the user id. No password hash ever appears here. The two one-time tokens the
 * notification service must mail (invitation, password reset) are `secret`
 * fields: see README "Secrets in events".
 */

/** A one-time token as it goes into an e-mail link; bounded, URL-safe. */
const oneTimeToken = () =>
  secret(
    string({ min: 16, max: 512, pattern: /^[A-Za-z0-9_\-.~]+$/, patternName: 'a URL-safe token' }),
  );

const userCreatedPayload = object({
  userId: uuid(),
  email: email(),
  name: personName(),
  role: role(),
  departmentId: nullable(uuid()),
  active: boolean(),
  /** How the user came to be: signing up an organization, self-registering, or invited by an admin. */
  source: oneOf(['signup', 'registration', 'invitation'] as const),
});
export type UserCreatedPayload = Infer<typeof userCreatedPayload>;
export class UserCreated extends defineEvent({
  eventType: 'user.created',
  version: 1,
  aggregateType: 'user',
  payload: userCreatedPayload,
}) {}

/**
 * An admin created the user (`POST /users`): the notification service mails
 * the set-password link `/accept-invite?token=…`. Separate from `user.created`
 * so the token reaches only the consumers that bind to this type.
 */
const userInvitedPayload = object({
  userId: uuid(),
  email: email(),
  name: personName(),
  invitationId: uuid(),
  token: oneTimeToken(),
  expiresAt: isoTimestamp(),
});
export type UserInvitedPayload = Infer<typeof userInvitedPayload>;
export class UserInvited extends defineEvent({
  eventType: 'user.invited',
  version: 1,
  aggregateType: 'user',
  payload: userInvitedPayload,
}) {}

/** Profile edits; the role has its own event. */
const userUpdatedPayload = object({
  userId: uuid(),
  changes: changes({
    email: change(email()),
    name: change(personName()),
    departmentId: change(nullable(uuid())),
    active: change(boolean()),
  }),
});
export type UserUpdatedPayload = Infer<typeof userUpdatedPayload>;
export class UserUpdated extends defineEvent({
  eventType: 'user.updated',
  version: 1,
  aggregateType: 'user',
  payload: userUpdatedPayload,
}) {}

const userRoleChangedPayload = object({
  userId: uuid(),
  previousRole: role(),
  role: role(),
});
export type UserRoleChangedPayload = Infer<typeof userRoleChangedPayload>;
export class UserRoleChanged extends defineEvent({
  eventType: 'user.role_changed',
  version: 1,
  aggregateType: 'user',
  payload: userRoleChangedPayload,
}) {}

const userDeletedPayload = object({
  userId: uuid(),
});
export type UserDeletedPayload = Infer<typeof userDeletedPayload>;
export class UserDeleted extends defineEvent({
  eventType: 'user.deleted',
  version: 1,
  aggregateType: 'user',
  payload: userDeletedPayload,
}) {}

/**
 * Only raised when the account exists (the HTTP answer is 202 either way). The
 * notification service mails `/reset-password?token=…`; user-service keeps
 * only the token's hash, so this event is the one place the clear token exists.
 */
const userPasswordResetRequestedPayload = object({
  userId: uuid(),
  email: email(),
  name: personName(),
  resetRequestId: uuid(),
  token: oneTimeToken(),
  expiresAt: isoTimestamp(),
});
export type UserPasswordResetRequestedPayload = Infer<typeof userPasswordResetRequestedPayload>;
export class UserPasswordResetRequested extends defineEvent({
  eventType: 'user.password_reset_requested',
  version: 1,
  aggregateType: 'user',
  payload: userPasswordResetRequestedPayload,
}) {}

const userLoginSucceededPayload = object({
  userId: uuid(),
  sessionId: uuid(),
  ip: ipAddress(),
  userAgent: userAgent(),
});
export type UserLoginSucceededPayload = Infer<typeof userLoginSucceededPayload>;
export class UserLoginSucceeded extends defineEvent({
  eventType: 'user.login_succeeded',
  version: 1,
  aggregateType: 'user',
  payload: userLoginSucceededPayload,
}) {}

/**
 * A refused login in an existing organization, for the audit log and rate
 * limiting. For an unknown e-mail `userId` is null and the envelope's
 * aggregateId is the e-mail address as typed (lower-cased).
 */
const userLoginFailedPayload = object({
  userId: nullable(uuid()),
  email: string({ max: 254 }),
  reason: oneOf(['unknown_user', 'wrong_password', 'inactive', 'rate_limited'] as const),
  ip: ipAddress(),
  userAgent: userAgent(),
});
export type UserLoginFailedPayload = Infer<typeof userLoginFailedPayload>;
export class UserLoginFailed extends defineEvent({
  eventType: 'user.login_failed',
  version: 1,
  aggregateType: 'user',
  payload: userLoginFailedPayload,
}) {}
