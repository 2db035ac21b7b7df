import { randomUUID } from 'node:crypto';
import type { Role } from '@helpdesk/contracts';
import { applyChanges, type Changes } from '@helpdesk/domain';
import { RuleViolation } from '@helpdesk/domain';

export interface UserProfile {
  name: string;
  departmentId: string | null;
}

export type UserSource = 'signup' | 'registration' | 'invitation';

/** E-mail addresses are compared case-insensitively and without surrounding space. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** A person in one organization. The same address in another organization is another user. */
export class User {
  id!: string;
  tenantId!: string;
  email!: string;
  name!: string;
  role!: Role;
  departmentId!: string | null;
  /** null until an invited user sets a password. */
  passwordHash!: string | null;
  active!: boolean;
  version!: number;
  createdAt!: Date;
  updatedAt!: Date;

  static create(
    input: {
      tenantId: string;
      email: string;
      name: string;
      role: Role;
      departmentId?: string | null;
      passwordHash: string | null;
    },
    now = new Date(),
  ): User {
    return Object.assign(new User(), {
      id: randomUUID(),
      tenantId: input.tenantId,
      email: normalizeEmail(input.email),
      name: input.name,
      role: input.role,
      departmentId: input.departmentId ?? null,
      passwordHash: input.passwordHash,
      active: true,
      version: 1,
      createdAt: now,
      updatedAt: now,
    });
  }

  /** May this user sign in with a password at all? */
  get canSignIn(): boolean {
    return this.active && this.passwordHash !== null;
  }

  updateProfile(patch: Partial<UserProfile>, now = new Date()): Changes<UserProfile> {
    const changes = applyChanges<UserProfile>(this, patch);
    if (Object.keys(changes).length > 0) this.touch(now);
    return changes;
  }

  /**
   * An organization must always keep an admin, or nobody could manage it.
   * `otherAdmins` counts the organization's admins other than this user.
   */
  changeRole(role: Role, otherAdmins: number, now = new Date()): Role | undefined {
    if (role === this.role) return undefined;
    if (this.role === 'admin' && otherAdmins === 0)
      throw new RuleViolation(
        'conflict',
        'This is the organization’s only admin; make someone else admin first.',
      );
    const previous = this.role;
    this.role = role;
    this.touch(now);
    return previous;
  }

  assertMayBeDeleted(otherAdmins: number): void {
    if (this.role === 'admin' && otherAdmins === 0)
      throw new RuleViolation(
        'conflict',
        'This is the organization’s only admin; make someone else admin first.',
      );
  }

  setPasswordHash(hash: string, now = new Date()): void {
    this.passwordHash = hash;
    this.touch(now);
  }

  private touch(now: Date): void {
    this.version += 1;
    this.updatedAt = now;
  }
}
