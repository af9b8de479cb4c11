import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import type { CustomerStatus } from '../customer.entity.js';

const STATUSES: CustomerStatus[] = ['active', 'disabled'];

export class ListCustomersQueryDto {
  @ApiPropertyOptional({ description: 'Part of the email or name, case-insensitive', maxLength: 100 })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() || undefined : value))
  @IsString()
  @MaxLength(100)
  q?: string;

  @ApiPropertyOptional({ enum: STATUSES })
  @IsOptional()
  @IsIn(STATUSES)
  status?: CustomerStatus;

  @ApiPropertyOptional({ minimum: 1, maximum: 10_000, default: 1 })
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(10_000)
  page: number = 1;

  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 20 })
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  pageSize: number = 20;
}

export class SetCustomerStatusDto {
  @ApiProperty({ description: 'true signs the customer out everywhere and refuses new sign-ins; false lets them back' })
  @IsBoolean()
  disabled!: boolean;
}
