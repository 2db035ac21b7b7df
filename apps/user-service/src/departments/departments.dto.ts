import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Length, Matches, MaxLength } from 'class-validator';
import { PageQuery, SortParam } from '@helpdesk/http';
import { IsOmittable, NOT_BLANK, NOT_BLANK_MESSAGE } from '../directory/validation';

export const DEPARTMENT_SORT_FIELDS = ['name', 'createdAt'] as const;
export const DEFAULT_DEPARTMENT_SORT = 'name';

export class CreateDepartmentBody {
  @ApiProperty({
    example: 'Billing',
    minLength: 1,
    maxLength: 200,
    description: 'unique in the organization, ignoring case',
  })
  @IsString()
  @Length(1, 200)
  @Matches(NOT_BLANK, { message: NOT_BLANK_MESSAGE })
  name!: string;

  @ApiPropertyOptional({ nullable: true, type: String, maxLength: 2000 })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  description?: string | null;
}

export class UpdateDepartmentBody {
  @ApiPropertyOptional({ example: 'Billing', minLength: 1, maxLength: 200 })
  @IsOmittable()
  @IsString()
  @Length(1, 200)
  @Matches(NOT_BLANK, { message: NOT_BLANK_MESSAGE })
  name?: string;

  @ApiPropertyOptional({
    nullable: true,
    type: String,
    maxLength: 2000,
    description: 'null clears it',
  })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  description?: string | null;
}

export class ListDepartmentsParams extends PageQuery {
  @SortParam(DEPARTMENT_SORT_FIELDS, DEFAULT_DEPARTMENT_SORT)
  sort?: string;
}
