import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsInt, IsISO8601, IsOptional, IsString, IsUUID, Length, Matches, Max, Min, ValidateNested } from 'class-validator';
import { PROMOTION_KINDS, type PromotionKind } from '../pricing-rules.js';

export const GROUP_PATTERN = /^[a-z0-9][a-z0-9_-]{0,63}$/;

export class PromotionTargetsDto {
  @ApiPropertyOptional({ type: [String], example: ['TSHIRT-RED-M'], maxItems: 500 })
  @IsOptional() @IsArray() @ArrayMaxSize(500) @IsString({ each: true }) @Length(1, 64, { each: true })
  skus?: string[];

  @ApiPropertyOptional({ type: [String], format: 'uuid', maxItems: 500 })
  @IsOptional() @IsArray() @ArrayMaxSize(500) @IsUUID('all', { each: true })
  categoryIds?: string[];

  @ApiPropertyOptional({ type: [String], format: 'uuid', maxItems: 500 })
  @IsOptional() @IsArray() @ArrayMaxSize(500) @IsUUID('all', { each: true })
  brandIds?: string[];
}

/** A promotion; which fields go with which kind is checked as a whole (400 PRICING.INVALID_PROMOTION, naming them). */
export class CreatePromotionDto {
  @ApiProperty({ example: 'Black Friday 20 %', maxLength: 120 })
  @IsString() @Length(1, 120)
  name!: string;

  @ApiPropertyOptional({ example: 'BF20', description: 'Coupon code (3-64 letters, digits, _ or -), matched case-insensitively; omit for an automatic promotion', nullable: true })
  @IsOptional() @IsString() @Matches(/^[A-Za-z0-9][A-Za-z0-9_-]{2,63}$/, { message: 'code must be 3 to 64 letters, digits, underscores or hyphens' })
  code?: string | null;

  @ApiProperty({ enum: PROMOTION_KINDS })
  @IsIn(PROMOTION_KINDS)
  kind!: PromotionKind;

  @ApiPropertyOptional({ minimum: 1, maximum: 100, description: 'Whole percent; required for order_percentage and line_percentage', nullable: true })
  @IsOptional() @IsInt() @Min(1) @Max(100)
  percentage?: number | null;

  @ApiPropertyOptional({ minimum: 1, description: 'Minor units, > 0: off the order (order_fixed) or off each matching unit (line_fixed)', nullable: true })
  @IsOptional() @IsInt() @Min(1) @Max(1_000_000_000)
  amount?: number | null;

  @ApiPropertyOptional({ example: 'EUR', description: 'ISO 4217; required with amount or minSubtotal; the promotion then applies to carts in it only', nullable: true })
  @IsOptional() @Matches(/^[A-Z]{3}$/, { message: 'currency must be an upper-case ISO 4217 code' })
  currency?: string | null;

  @ApiPropertyOptional({ type: PromotionTargetsDto, description: 'Lines a line_* promotion applies to (any match); required for those, refused for the others' })
  @IsOptional() @ValidateNested() @Type(() => PromotionTargetsDto)
  targets?: PromotionTargetsDto;

  @ApiPropertyOptional({ minimum: 1, description: 'Minor units; the cart subtotal before discounts must reach it', nullable: true })
  @IsOptional() @IsInt() @Min(1) @Max(1_000_000_000_000)
  minSubtotal?: number | null;

  @ApiPropertyOptional({ example: 'vip', description: 'Only members of this customer group', nullable: true })
  @IsOptional() @Matches(GROUP_PATTERN, { message: 'customerGroup must be 1 to 64 lower-case letters, digits, underscores or hyphens' })
  customerGroup?: string | null;

  @ApiPropertyOptional({ default: false, description: 'Only customers (signed in) who have not placed an order yet' })
  @IsOptional() @IsBoolean()
  firstOrderOnly?: boolean;

  @ApiPropertyOptional({ format: 'date-time', description: 'UTC; valid from this instant', nullable: true })
  @IsOptional() @IsISO8601({ strict: true })
  startsAt?: string | null;

  @ApiPropertyOptional({ format: 'date-time', description: 'UTC; valid until before this instant; after startsAt', nullable: true })
  @IsOptional() @IsISO8601({ strict: true })
  endsAt?: string | null;

  @ApiPropertyOptional({ minimum: 1, description: 'Uses in total (orders placed with it, not released)', nullable: true })
  @IsOptional() @IsInt() @Min(1) @Max(1_000_000_000)
  usageLimit?: number | null;

  @ApiPropertyOptional({ minimum: 1, description: 'Uses per customer (per customer id; per email for guests)', nullable: true })
  @IsOptional() @IsInt() @Min(1) @Max(1_000_000)
  perCustomerLimit?: number | null;

  @ApiPropertyOptional({ default: true })
  @IsOptional() @IsBoolean()
  active?: boolean;
}

/** Any subset; null clears an optional field. */
export class UpdatePromotionDto extends PartialType(CreatePromotionDto) {}
