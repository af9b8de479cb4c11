import { ApiProperty } from '@nestjs/swagger';
import { PROMOTION_KINDS, type PromotionKind } from '../pricing-rules.js';

class TargetsView {
  @ApiProperty({ type: [String] }) skus!: string[];
  @ApiProperty({ type: [String] }) categoryIds!: string[];
  @ApiProperty({ type: [String] }) brandIds!: string[];
}

export class PromotionDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ nullable: true, type: String, description: 'Upper-case; null for automatic' }) code!: string | null;
  @ApiProperty({ enum: PROMOTION_KINDS }) kind!: PromotionKind;
  @ApiProperty({ nullable: true, type: Number }) percentage!: number | null;
  @ApiProperty({ nullable: true, type: Number }) amount!: number | null;
  @ApiProperty({ nullable: true, type: String }) currency!: string | null;
  @ApiProperty({ type: TargetsView }) targets!: TargetsView;
  @ApiProperty({ nullable: true, type: Number }) minSubtotal!: number | null;
  @ApiProperty({ nullable: true, type: String }) customerGroup!: string | null;
  @ApiProperty() firstOrderOnly!: boolean;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) startsAt!: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) endsAt!: string | null;
  @ApiProperty({ nullable: true, type: Number }) usageLimit!: number | null;
  @ApiProperty({ nullable: true, type: Number }) perCustomerLimit!: number | null;
  @ApiProperty({ description: 'Uses held by orders (released ones given back)' }) uses!: number;
  @ApiProperty() active!: boolean;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}

export class PromotionPageDto {
  @ApiProperty({ type: [PromotionDto] }) items!: PromotionDto[];
  @ApiProperty() total!: number;
  @ApiProperty() page!: number;
  @ApiProperty() pageSize!: number;
}

export class PromotionRemovedDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: ['deleted', 'deactivated'], description: 'deleted when never redeemed, else deactivated' }) outcome!: 'deleted' | 'deactivated';
}

export class TaxRateDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'DE' }) countryCode!: string;
  @ApiProperty({ nullable: true, type: String, description: 'Upper-case' }) region!: string | null;
  @ApiProperty({ example: 1900 }) basisPoints!: number;
  @ApiProperty() name!: string;
}

export class CustomerFactsDto {
  @ApiProperty({ type: [String] }) groups!: string[];
  @ApiProperty({ description: 'An order of this customer was recorded (orders.order-placed)' }) hasOrdered!: boolean;
}
