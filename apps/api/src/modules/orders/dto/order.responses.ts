import { ApiProperty } from '@nestjs/swagger';
import type { OrderStatus } from '#contracts';
import { AddressDto } from '#platform';
import { ORDER_STATUSES } from '../order-status.js';

export class OrderLineDto {
  @ApiProperty() sku!: string;
  @ApiProperty({ format: 'uuid' }) productId!: string;
  @ApiProperty({ description: 'As it was named at placement' }) productName!: string;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' } }) options!: Record<string, string>;
  @ApiProperty() quantity!: number;
  @ApiProperty({ description: 'Integer minor units, as charged' }) unitPrice!: number;
  @ApiProperty() subtotal!: number;
  @ApiProperty() discount!: number;
  @ApiProperty() tax!: number;
  @ApiProperty() total!: number;
}

export class OrderTotalsDto {
  @ApiProperty() subtotal!: number;
  @ApiProperty() discount!: number;
  @ApiProperty() shipping!: number;
  @ApiProperty() tax!: number;
  @ApiProperty() total!: number;
}

export class ShippingMethodSnapshotDto {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
  @ApiProperty() amount!: number;
}

export class OrderViewDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'FC-7K3M-92QD' }) number!: string;
  @ApiProperty({ enum: ORDER_STATUSES }) status!: OrderStatus;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) customerId!: string | null;
  @ApiProperty() email!: string;
  @ApiProperty({ example: 'EUR' }) currency!: string;
  @ApiProperty({ type: [OrderLineDto] }) lines!: OrderLineDto[];
  @ApiProperty({ type: OrderTotalsDto }) totals!: OrderTotalsDto;
  @ApiProperty() taxIncluded!: boolean;
  @ApiProperty({ type: AddressDto }) shippingAddress!: AddressDto;
  @ApiProperty({ type: AddressDto }) billingAddress!: AddressDto;
  @ApiProperty({ type: ShippingMethodSnapshotDto }) shippingMethod!: ShippingMethodSnapshotDto;
  @ApiProperty({ description: 'UTC, ISO 8601' }) placedAt!: string;
  @ApiProperty({ description: 'UTC, ISO 8601' }) updatedAt!: string;
}

export class CheckoutResponseDto {
  @ApiProperty({ type: OrderViewDto }) order!: OrderViewDto;
}

export class OrderPageDto {
  @ApiProperty({ type: [OrderViewDto] }) items!: OrderViewDto[];
  @ApiProperty() total!: number;
  @ApiProperty() page!: number;
  @ApiProperty() pageSize!: number;
}

export class OrderTransitionDto {
  @ApiProperty({ enum: ORDER_STATUSES, nullable: true }) from!: OrderStatus | null;
  @ApiProperty({ enum: ORDER_STATUSES }) to!: OrderStatus;
  @ApiProperty({ description: 'Account id or "system"' }) by!: string;
  @ApiProperty({ nullable: true, type: String }) reason!: string | null;
  @ApiProperty() at!: string;
}

export class OrderNoteViewDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() author!: string;
  @ApiProperty() text!: string;
  @ApiProperty() at!: string;
}

export class AdminOrderViewDto extends OrderViewDto {
  @ApiProperty({ description: 'Paid, but its stock could not be held again after the reservation ended' }) needsAttention!: boolean;
  @ApiProperty({ type: [OrderTransitionDto] }) transitions!: OrderTransitionDto[];
  @ApiProperty({ type: [OrderNoteViewDto] }) notes!: OrderNoteViewDto[];
}
