import { ApiProperty } from '@nestjs/swagger';

export class PaymentViewDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) orderId!: string;
  @ApiProperty({ description: 'Integer minor units' }) amount!: number;
  @ApiProperty({ example: 'EUR' }) currency!: string;
  @ApiProperty() captured!: number;
  @ApiProperty() refunded!: number;
  @ApiProperty({ enum: ['pending', 'authorized', 'captured', 'partially_refunded', 'refunded', 'voided', 'failed'] }) state!: string;
  @ApiProperty({ enum: ['immediate', 'on_fulfilment'] }) captureMode!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}

export class RefundViewDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) paymentId!: string;
  @ApiProperty() amount!: number;
  @ApiProperty({ enum: ['pending', 'succeeded', 'failed', 'unknown'] }) state!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}
