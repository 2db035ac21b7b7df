import { ApiProperty } from '@nestjs/swagger';
import type { Department } from '../domain/department';

export class DepartmentView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) organizationId!: string;
  @ApiProperty({ example: 'Billing' }) name!: string;
  @ApiProperty({ nullable: true, type: String }) description!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}

export function toDepartmentView(department: Department): DepartmentView {
  return {
    id: department.id,
    organizationId: department.tenantId,
    name: department.name,
    description: department.description,
    createdAt: department.createdAt.toISOString(),
    updatedAt: department.updatedAt.toISOString(),
  };
}
