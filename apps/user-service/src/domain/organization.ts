import { randomUUID } from 'node:crypto';
import { applyChanges, type Changes } from '@helpdesk/domain';

export interface BusinessHours {
  /** ISO weekdays: 1 = Monday … 7 = Sunday. */
  weekdays: number[];
  start: string;
  end: string;
}

export interface OrganizationSettings {
  name: string;
  slug: string;
  allowSelfRegistration: boolean;
  businessHours: BusinessHours | null;
  timezone: string;
}

/** The tenant. Its id is the `tenantId` of everything it owns. */
export class Organization implements OrganizationSettings {
  id!: string;
  name!: string;
  slug!: string;
  allowSelfRegistration!: boolean;
  businessHours!: BusinessHours | null;
  timezone!: string;
  version!: number;
  createdAt!: Date;
  updatedAt!: Date;

  static create(input: { name: string; slug: string }, now = new Date()): Organization {
    return Object.assign(new Organization(), {
      id: randomUUID(),
      name: input.name,
      slug: input.slug,
      // Closed by default: an admin opens the portal to strangers deliberately.
      allowSelfRegistration: false,
      businessHours: null,
      timezone: 'UTC',
      version: 1,
      createdAt: now,
      updatedAt: now,
    });
  }

  /** Applies the settings that differ; returns them (empty: nothing changed, no new version). */
  update(patch: Partial<OrganizationSettings>, now = new Date()): Changes<OrganizationSettings> {
    const changes = applyChanges<OrganizationSettings>(this, patch);
    if (Object.keys(changes).length > 0) {
      this.version += 1;
      this.updatedAt = now;
    }
    return changes;
  }
}
