import { EntitySchema } from 'typeorm';
import { Department } from '../domain/department';
import { Organization } from '../domain/organization';
import { OneTimeToken, RefreshToken, Session } from '../domain/session';
import { User } from '../domain/user';
import { SigningKey } from '../keys/signing-key';

/**
 * How the domain's plain classes map to tables (created by the migrations;
 * TypeORM never changes the schema). Kept apart so the domain carries no ORM.
 */
const timestamp = { type: 'timestamptz' } as const;
const optionalTimestamp = { type: 'timestamptz', nullable: true } as const;
const optionalText = { type: 'text', nullable: true } as const;

export const OrganizationSchema = new EntitySchema<Organization>({
  name: 'Organization',
  target: Organization,
  tableName: 'organization',
  columns: {
    id: { type: 'uuid', primary: true },
    name: { type: 'text' },
    slug: { type: 'text' },
    allowSelfRegistration: { type: 'boolean' },
    businessHours: { type: 'jsonb', nullable: true },
    timezone: { type: 'text' },
    version: { type: 'integer' },
    createdAt: timestamp,
    updatedAt: timestamp,
  },
});

export const DepartmentSchema = new EntitySchema<Department>({
  name: 'Department',
  target: Department,
  tableName: 'department',
  columns: {
    id: { type: 'uuid', primary: true },
    tenantId: { type: 'uuid' },
    name: { type: 'text' },
    description: optionalText,
    version: { type: 'integer' },
    createdAt: timestamp,
    updatedAt: timestamp,
  },
});

export const UserSchema = new EntitySchema<User>({
  name: 'User',
  target: User,
  tableName: 'user',
  columns: {
    id: { type: 'uuid', primary: true },
    tenantId: { type: 'uuid' },
    email: { type: 'text' },
    name: { type: 'text' },
    role: { type: 'text' },
    departmentId: { type: 'uuid', nullable: true },
    passwordHash: optionalText,
    active: { type: 'boolean' },
    version: { type: 'integer' },
    createdAt: timestamp,
    updatedAt: timestamp,
  },
});

export const SessionSchema = new EntitySchema<Session>({
  name: 'Session',
  target: Session,
  tableName: 'session',
  columns: {
    id: { type: 'uuid', primary: true },
    tenantId: { type: 'uuid' },
    userId: { type: 'uuid' },
    createdAt: timestamp,
    lastUsedAt: timestamp,
    expiresAt: timestamp,
    revokedAt: optionalTimestamp,
    revokeReason: optionalText,
    userAgent: optionalText,
    ip: optionalText,
  },
});

export const RefreshTokenSchema = new EntitySchema<RefreshToken>({
  name: 'RefreshToken',
  target: RefreshToken,
  tableName: 'refresh_token',
  columns: {
    tokenHash: { type: 'text', primary: true },
    sessionId: { type: 'uuid' },
    issuedAt: timestamp,
    rotatedAt: optionalTimestamp,
  },
});

export const OneTimeTokenSchema = new EntitySchema<OneTimeToken>({
  name: 'OneTimeToken',
  target: OneTimeToken,
  tableName: 'one_time_token',
  columns: {
    id: { type: 'uuid', primary: true },
    tenantId: { type: 'uuid' },
    userId: { type: 'uuid' },
    purpose: { type: 'text' },
    tokenHash: { type: 'text' },
    createdAt: timestamp,
    expiresAt: timestamp,
    usedAt: optionalTimestamp,
  },
});

export const SigningKeySchema = new EntitySchema<SigningKey>({
  name: 'SigningKey',
  target: SigningKey,
  tableName: 'signing_key',
  columns: {
    kid: { type: 'text', primary: true },
    algorithm: { type: 'text' },
    privateKeyPem: { type: 'text' },
    publicJwk: { type: 'jsonb' },
    createdAt: timestamp,
    retiredAt: optionalTimestamp,
    expiresAt: optionalTimestamp,
  },
});

export const entities = [
  OrganizationSchema,
  DepartmentSchema,
  UserSchema,
  SessionSchema,
  RefreshTokenSchema,
  OneTimeTokenSchema,
  SigningKeySchema,
];
