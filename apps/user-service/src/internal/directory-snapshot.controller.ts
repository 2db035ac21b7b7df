import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsUUID, Max, Min } from 'class-validator';
import {
  DataSource,
  MoreThan,
  type FindOptionsWhere,
  type ObjectLiteral,
  type EntitySchema,
} from 'typeorm';
import { InternalOnly } from '@helpdesk/auth';
import { DepartmentSchema, OrganizationSchema, UserSchema } from '../persistence/schemas';

class SnapshotPage {
  @ApiPropertyOptional({ format: 'uuid', description: 'the last id of the previous page' })
  @IsOptional()
  @IsUUID()
  after?: string;

  @ApiPropertyOptional({ default: 1000, maximum: 5000 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(5000)
  limit?: number;
}

export interface SnapshotAnswer<T> {
  data: T[];
  /** Pass as `after` for the next page; null after the last. */
  next: string | null;
}

/**
 * The directory as it is now, for a service that starts consuming
 * user-service's events late (a new deployment, a rebuilt database): events
 * tell it what changes, this tells it what already is. Pages in id order;
 * each row carries its aggregate version, so a replica can merge it with the
 * events it receives meanwhile. Service tokens only; never routed publicly.
 */
@ApiTags('internal')
@Controller('internal/directory')
export class DirectorySnapshotController {
  constructor(private readonly dataSource: DataSource) {}

  @InternalOnly()
  @Get('organizations')
  @ApiOperation({ summary: 'Organizations, in pages (service tokens only)' })
  organizations(@Query() page: SnapshotPage) {
    return this.page(OrganizationSchema, page, (organization) => ({
      id: organization.id,
      name: organization.name,
      businessHours: organization.businessHours,
      timezone: organization.timezone,
      version: organization.version,
    }));
  }

  @InternalOnly()
  @Get('departments')
  departments(@Query() page: SnapshotPage) {
    return this.page(DepartmentSchema, page, (department) => ({
      id: department.id,
      tenantId: department.tenantId,
      name: department.name,
      version: department.version,
    }));
  }

  @InternalOnly()
  @Get('users')
  users(@Query() page: SnapshotPage) {
    return this.page(UserSchema, page, (user) => ({
      id: user.id,
      tenantId: user.tenantId,
      email: user.email,
      name: user.name,
      role: user.role,
      departmentId: user.departmentId,
      active: user.active,
      version: user.version,
    }));
  }

  private async page<T extends ObjectLiteral & { id: string }, V>(
    schema: EntitySchema<T>,
    page: SnapshotPage,
    view: (row: T) => V,
  ): Promise<SnapshotAnswer<V>> {
    const limit = page.limit ?? 1000;
    const rows = await this.dataSource.getRepository(schema).find({
      where: (page.after ? { id: MoreThan(page.after) } : {}) as FindOptionsWhere<T>,
      order: { id: 'ASC' } as never,
      take: limit,
    });
    return { data: rows.map(view), next: rows.length === limit ? (rows.at(-1)?.id ?? null) : null };
  }
}
