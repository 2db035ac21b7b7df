import { defineEvent } from '../define-event';
import { object, uuid, type Infer } from '../schema/schema';
import { change, changes, departmentDescription, departmentName } from './common.schemas';

/** Published by user-service on `user.events`; aggregateType `department`, aggregateId the department id. */

const departmentCreatedPayload = object({
  departmentId: uuid(),
  name: departmentName(),
  description: departmentDescription(),
});
export type DepartmentCreatedPayload = Infer<typeof departmentCreatedPayload>;
export class DepartmentCreated extends defineEvent({
  eventType: 'department.created',
  version: 1,
  aggregateType: 'department',
  payload: departmentCreatedPayload,
}) {}

const departmentUpdatedPayload = object({
  departmentId: uuid(),
  changes: changes({
    name: change(departmentName()),
    description: change(departmentDescription()),
  }),
});
export type DepartmentUpdatedPayload = Infer<typeof departmentUpdatedPayload>;
export class DepartmentUpdated extends defineEvent({
  eventType: 'department.updated',
  version: 1,
  aggregateType: 'department',
  payload: departmentUpdatedPayload,
}) {}

/** Tickets and users of the department keep their rows; consumers clear the reference. */
const departmentDeletedPayload = object({
  departmentId: uuid(),
});
export type DepartmentDeletedPayload = Infer<typeof departmentDeletedPayload>;
export class DepartmentDeleted extends defineEvent({
  eventType: 'department.deleted',
  version: 1,
  aggregateType: 'department',
  payload: departmentDeletedPayload,
}) {}
