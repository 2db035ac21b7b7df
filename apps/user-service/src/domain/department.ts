import { randomUUID } from 'node:crypto';
import { applyChanges, type Changes } from '@helpdesk/domain';

export interface DepartmentDetails {
  name: string;
  description: string | null;
}

export class Department implements DepartmentDetails {
  id!: string;
  tenantId!: string;
  name!: string;
  description!: string | null;
  version!: number;
  createdAt!: Date;
  updatedAt!: Date;

  static create(tenantId: string, details: DepartmentDetails, now = new Date()): Department {
    return Object.assign(new Department(), {
      id: randomUUID(),
      tenantId,
      name: details.name,
      description: details.description,
      version: 1,
      createdAt: now,
      updatedAt: now,
    });
  }

  update(patch: Partial<DepartmentDetails>, now = new Date()): Changes<DepartmentDetails> {
    const changes = applyChanges<DepartmentDetails>(this, patch);
    if (Object.keys(changes).length > 0) {
      this.version += 1;
      this.updatedAt = now;
    }
    return changes;
  }
}
