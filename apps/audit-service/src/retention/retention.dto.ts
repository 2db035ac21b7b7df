import { ApiProperty } from '@nestjs/swagger';
import { IsInt, Max, Min, ValidateIf } from 'class-validator';

export const MAX_KEEP_DAYS = 36_500;

export class RetentionView {
  @ApiProperty({
    nullable: true,
    type: 'integer',
    minimum: 1,
    maximum: MAX_KEEP_DAYS,
    description: 'entries older than this many days are deleted daily; null keeps them forever',
  })
  keepDays!: number | null;
}

export class UpdateRetentionBody {
  @ApiProperty({
    nullable: true,
    type: 'integer',
    minimum: 1,
    maximum: MAX_KEEP_DAYS,
    description: 'null: keep forever (the default)',
  })
  @ValidateIf((_body, value) => value !== null)
  @IsInt({ message: 'must be null or an integer from 1 to 36500' })
  @Min(1)
  @Max(MAX_KEEP_DAYS)
  keepDays!: number | null;
}
