import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import { PROMOTION_KINDS, type PromotionKind } from '../pricing-rules.js';

/** Paging and filters of the admin promotion list, newest first. */
export class PromotionQuery {
  @ApiPropertyOptional() @IsOptional() @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value)) @IsBoolean() active?: boolean;
  @ApiPropertyOptional({ enum: ['coupon', 'automatic'] }) @IsOptional() @IsIn(['coupon', 'automatic']) type?: 'coupon' | 'automatic';
  @ApiPropertyOptional({ enum: PROMOTION_KINDS }) @IsOptional() @IsIn(PROMOTION_KINDS) kind?: PromotionKind;
  @ApiPropertyOptional({ description: 'Exact code, any case' }) @IsOptional() @IsString() @Length(1, 64) code?: string;
  @ApiPropertyOptional({ minimum: 1, maximum: 10000, default: 1 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(10000) page = 1;
  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 20 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(100) pageSize = 20;
}
