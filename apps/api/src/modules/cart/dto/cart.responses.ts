import { ApiProperty } from '@nestjs/swagger';
import type { CartStatus } from '#contracts';
import { AddressDto } from '#platform';

class TotalsDto {
  @ApiProperty({ description: 'Sum of line subtotals (unit price × quantity), minor units' }) subtotal!: number;
  @ApiProperty({ description: 'Every promotion together' }) discount!: number;
  @ApiProperty({ description: 'Shipping after promotions' }) shipping!: number;
  @ApiProperty({ description: 'Tax in the total (included or added per the channel)' }) tax!: number;
  @ApiProperty() total!: number;
}

class CartLineDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() sku!: string;
  @ApiProperty({ format: 'uuid' }) productId!: string;
  @ApiProperty() productName!: string;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' }, example: { size: 'M' } }) options!: Record<string, string>;
  @ApiProperty() quantity!: number;
  @ApiProperty({ description: 'As the catalog sells it now (re-read on every change), minor units' }) unitPrice!: number;
  @ApiProperty() subtotal!: number;
  @ApiProperty() discount!: number;
  @ApiProperty() tax!: number;
  @ApiProperty() total!: number;
  @ApiProperty({ type: Number, nullable: true, description: 'The price shown before the last re-read changed it; null when unchanged' }) previousUnitPrice!: number | null;
}

class CouponDto {
  @ApiProperty() code!: string;
  @ApiProperty() applied!: boolean;
  @ApiProperty({ required: false, description: 'Why it does nothing now (expired, minimum_not_met, ...)' }) reason?: string;
}

class DiscountDto {
  @ApiProperty({ format: 'uuid' }) promotionId!: string;
  @ApiProperty({ type: String, nullable: true }) code!: string | null;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: ['order_percentage', 'order_fixed', 'line_percentage', 'line_fixed', 'free_shipping'] }) kind!: string;
  @ApiProperty() amount!: number;
}

export class ShippingMethodDto {
  @ApiProperty({ example: 'standard' }) id!: string;
  @ApiProperty({ example: 'Standard' }) name!: string;
  @ApiProperty({ example: 499, description: 'Flat rate in the cart currency (SHIPPING_FLAT_RATES), before promotions' }) amount!: number;
}

export class CartDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) customerId!: string | null;
  @ApiProperty({ enum: ['open', 'converted', 'merged'] }) status!: CartStatus;
  @ApiProperty({ example: 'EUR' }) currency!: string;
  @ApiProperty({ type: [CartLineDto] }) lines!: CartLineDto[];
  @ApiProperty({ type: [CouponDto] }) coupons!: CouponDto[];
  @ApiProperty({ type: [DiscountDto], description: 'Per promotion' }) discounts!: DiscountDto[];
  @ApiProperty({ type: AddressDto, nullable: true }) shippingAddress!: AddressDto | null;
  @ApiProperty({ type: ShippingMethodDto, nullable: true }) shippingMethod!: ShippingMethodDto | null;
  @ApiProperty() taxIncluded!: boolean;
  @ApiProperty({ type: TotalsDto }) totals!: TotalsDto;
  @ApiProperty({ description: 'Bumped on every change' }) version!: number;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}

export class OpenedCartDto extends CartDto {
  @ApiProperty({ type: String, nullable: true, description: "A guest cart's token: send it back as X-Cart-Token (also in that response header). null for a customer's cart" })
  token!: string | null;
}
