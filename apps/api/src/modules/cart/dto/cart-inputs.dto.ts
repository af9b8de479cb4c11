import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

// Quantities: at least 1 here; the per-line maximum (CART_MAX_LINE_QUANTITY) is configuration, so the use case checks it (also 400).
const Quantity = () => applyDecorators(ApiProperty({ minimum: 1, example: 2, description: 'Whole units; at most CART_MAX_LINE_QUANTITY (default 20) per line' }), IsInt(), Min(1), Max(1_000_000));

export class CreateCartDto {
  @ApiPropertyOptional({ example: 'EUR', description: 'ISO 4217; default DEFAULT_CURRENCY. Ignored when the customer already has an open cart' })
  @IsOptional()
  @Matches(/^[A-Z]{3}$/, { message: 'currency must be an ISO 4217 code such as EUR' })
  currency?: string;
}

export class AddItemDto {
  @ApiProperty({ example: 'TSHIRT-RED-M', maxLength: 64 })
  @IsString()
  @Matches(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, { message: 'sku must be 1 to 64 letters, digits, dots, underscores or hyphens' })
  sku!: string;

  @Quantity() quantity!: number;
}

export class UpdateItemDto {
  @Quantity() quantity!: number;
}

export class AddCouponDto {
  @ApiProperty({ example: 'BLACKFRIDAY', maxLength: 64, description: 'As the shopper typed it; matched case-insensitively' })
  @Transform(trim)
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{1,64}$/, { message: 'code must be 1 to 64 letters, digits, underscores or hyphens' })
  code!: string;
}

export class SetShippingMethodDto {
  @ApiProperty({ example: 'standard', description: 'An id from GET /carts/:id/shipping-methods' })
  @IsString()
  @Matches(/^[a-z0-9_-]{1,32}$/, { message: 'methodId must be a shipping method id such as standard' })
  methodId!: string;
}
