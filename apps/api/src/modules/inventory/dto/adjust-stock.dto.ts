import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, IsString, Length, Matches, Max, Min, NotEquals } from 'class-validator';

export const ADJUSTMENT_KINDS = ['received', 'returned', 'adjusted'] as const;
export type AdjustmentKind = (typeof ADJUSTMENT_KINDS)[number];

export class AdjustStockDto {
  @ApiPropertyOptional({ example: 'main', default: 'main', maxLength: 64 })
  @IsOptional()
  @Matches(/^[a-z0-9][a-z0-9_-]{0,63}$/, { message: 'location must be 1 to 64 lower-case letters, digits, underscores or hyphens' })
  location?: string;

  @ApiProperty({ example: 24, description: 'Change to on hand: positive adds units, negative removes them; never 0' })
  @IsInt()
  @NotEquals(0)
  @Min(-1_000_000)
  @Max(1_000_000)
  delta!: number;

  @ApiProperty({ example: 'Delivery 2026-11-27 from Acme', maxLength: 200 })
  @IsString()
  @Length(1, 200)
  reason!: string;

  @ApiProperty({ enum: ADJUSTMENT_KINDS, description: 'received and returned add units (positive delta); adjusted corrects either way' })
  @IsIn(ADJUSTMENT_KINDS)
  kind!: AdjustmentKind;
}
