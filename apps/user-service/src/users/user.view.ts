import { ApiProperty } from '@nestjs/swagger';
import { ROLES, type Role } from '@helpdesk/contracts';
import type { User } from '../domain/user';

/** A user as every endpoint answers it: never the password hash. */
export class UserView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) organizationId!: string;
  @ApiProperty() email!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: ROLES }) role!: Role;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) departmentId!: string | null;
  @ApiProperty({ description: 'false until an invited user has set a password' })
  passwordSet!: boolean;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}

export function toUserView(user: User): UserView {
  return {
    id: user.id,
    organizationId: user.tenantId,
    email: user.email,
    name: user.name,
    role: user.role,
    departmentId: user.departmentId,
    passwordSet: user.passwordHash !== null,
    createdAt: user.createdAt.toISOString(),
    updatedAt: user.updatedAt.toISOString(),
  };
}
