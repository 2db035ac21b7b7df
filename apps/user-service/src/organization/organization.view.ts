import { ApiProperty } from '@nestjs/swagger';
import type { BusinessHours, Organization } from '../domain/organization';

export class BusinessHoursView {
  @ApiProperty({ type: [Number], description: 'ISO weekdays, 1 = Monday … 7 = Sunday' })
  weekdays!: number[];
  @ApiProperty({ example: '09:00' }) start!: string;
  @ApiProperty({ example: '17:00' }) end!: string;
}

export class OrganizationView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty() slug!: string;
  @ApiProperty() allowSelfRegistration!: boolean;
  @ApiProperty({ type: BusinessHoursView, nullable: true }) businessHours!: BusinessHours | null;
  @ApiProperty({ example: 'Europe/Berlin' }) timezone!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}

export function toOrganizationView(organization: Organization): OrganizationView {
  return {
    id: organization.id,
    name: organization.name,
    slug: organization.slug,
    allowSelfRegistration: organization.allowSelfRegistration,
    businessHours: organization.businessHours,
    timezone: organization.timezone,
    createdAt: organization.createdAt.toISOString(),
    updatedAt: organization.updatedAt.toISOString(),
  };
}
