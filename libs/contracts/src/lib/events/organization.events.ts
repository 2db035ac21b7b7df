import { defineEvent } from '../define-event';
import { boolean, object, string, uuid, type Infer } from '../schema/schema';
import { businessHours, change, changes, organizationSlug, timezone } from './common.schemas';

/**
 * Published by user-service on `user.events`; aggregateType `organization`,
 * aggregateId = tenantId = the organization id.
 */

const organizationName = () => string({ max: 200 });

const organizationCreatedPayload = object({
  organizationId: uuid(),
  name: organizationName(),
  slug: organizationSlug(),
  allowSelfRegistration: boolean(),
  businessHours: businessHours(),
  timezone: timezone(),
});
export type OrganizationCreatedPayload = Infer<typeof organizationCreatedPayload>;
export class OrganizationCreated extends defineEvent({
  eventType: 'organization.created',
  version: 1,
  aggregateType: 'organization',
  payload: organizationCreatedPayload,
}) {}

const organizationUpdatedPayload = object({
  organizationId: uuid(),
  changes: changes({
    name: change(organizationName()),
    slug: change(organizationSlug()),
    allowSelfRegistration: change(boolean()),
    businessHours: change(businessHours()),
    timezone: change(timezone()),
  }),
});
export type OrganizationUpdatedPayload = Infer<typeof organizationUpdatedPayload>;
export class OrganizationUpdated extends defineEvent({
  eventType: 'organization.updated',
  version: 1,
  aggregateType: 'organization',
  payload: organizationUpdatedPayload,
}) {}
