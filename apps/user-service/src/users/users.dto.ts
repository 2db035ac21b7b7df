import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsEmail,
  IsIn,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  MaxLength,
} from 'class-validator';
import { ROLES, type Role } from '@helpdesk/contracts';
import { PageQuery, SortParam } from '@helpdesk/http';
import { IsOmittable, NOT_BLANK, NOT_BLANK_MESSAGE } from '../directory/validation';

const ROLE_MESSAGE = `must be one of ${ROLES.join(', ')}`;

export const USER_SORT_FIELDS = ['createdAt', 'name', 'email'] as const;
export const DEFAULT_USER_SORT = '-createdAt';

export class InviteUserBody {
  @ApiProperty({
    example: 'grace@acme.test',
    maxLength: 254,
    description: 'unique in the organization, ignoring case',
  })
  @IsEmail({}, { message: 'must be an e-mail address' })
  @MaxLength(254)
  email!: string;

  @ApiProperty({ example: 'Grace Hopper', minLength: 1, maxLength: 200 })
  @IsString()
  @Length(1, 200)
  @Matches(NOT_BLANK, { message: NOT_BLANK_MESSAGE })
  name!: string;

  @ApiProperty({ enum: ROLES })
  @IsIn(ROLES, { message: ROLE_MESSAGE })
  role!: Role;

  @ApiPropertyOptional({
    format: 'uuid',
    nullable: true,
    type: String,
    description: 'a department of the organization',
  })
  @IsOptional()
  @IsUUID('all', { message: 'must be a UUID' })
  departmentId?: string | null;
}

/** What an admin may change of anyone, and a user of themself (`name` only). */
export class UpdateUserBody {
  @ApiPropertyOptional({ example: 'Grace Hopper', minLength: 1, maxLength: 200 })
  @IsOmittable()
  @IsString()
  @Length(1, 200)
  @Matches(NOT_BLANK, { message: NOT_BLANK_MESSAGE })
  name?: string;

  @ApiPropertyOptional({
    format: 'uuid',
    nullable: true,
    type: String,
    description: 'admins only; null: no department',
  })
  @IsOptional()
  @IsUUID('all', { message: 'must be a UUID' })
  departmentId?: string | null;
}

export class ChangeRoleBody {
  @ApiProperty({ enum: ROLES })
  @IsIn(ROLES, { message: ROLE_MESSAGE })
  role!: Role;
}

export class ListUsersParams extends PageQuery {
  @ApiPropertyOptional({ enum: ROLES })
  @IsOptional()
  @IsIn(ROLES, { message: ROLE_MESSAGE })
  role?: Role;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all', { message: 'must be a UUID' })
  departmentId?: string;

  @ApiPropertyOptional({ description: 'part of the name or e-mail, ignoring case', maxLength: 200 })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  q?: string;

  @SortParam(USER_SORT_FIELDS, DEFAULT_USER_SORT)
  sort?: string;
}
