import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsDate, IsEmail, IsIn, IsInt, IsOptional, IsString, IsUUID, Length, Matches, Max, Min, ValidateNested } from 'class-validator';

export const LEGACY_ORDER_STATUSES = ['paid', 'shipped', 'delivered', 'cancelled'] as const;

export class LegacyOrderLineDto {
  @ApiProperty({ maxLength: 64 }) @IsString() @Length(1, 64) sku!: string;
  @ApiProperty({ format: 'uuid', description: "The catalog's product of that SKU" }) @IsUUID() productId!: string;
  @ApiProperty({ maxLength: 300 }) @IsString() @Length(1, 300) productName!: string;
  @ApiProperty({ minimum: 1 }) @IsInt() @Min(1) @Max(100000) quantity!: number;
  @ApiProperty({ description: 'Minor units, as bought' }) @IsInt() @Min(0) @Max(100_000_000) unitPrice!: number;
}

/** One historical order of the legacy shop, as `npm run legacy:import` sends it. */
export class LegacyOrderDto {
  @ApiProperty({ example: 'L100001', description: 'Kept as the order number; importing it again changes nothing' })
  @Matches(/^L\d{1,15}$/)
  number!: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'The identity account of the customer' }) @IsOptional() @IsUUID() customerId?: string;
  @ApiProperty() @IsEmail() email!: string;
  @ApiProperty({ enum: LEGACY_ORDER_STATUSES }) @IsIn(LEGACY_ORDER_STATUSES) status!: (typeof LEGACY_ORDER_STATUSES)[number];
  @ApiProperty({ example: 'EUR' }) @Matches(/^[A-Z]{3}$/) currency!: string;
  @ApiProperty({ description: 'Minor units; must equal the sum of the lines' }) @IsInt() @Min(0) @Max(2_000_000_000) total!: number;
  @ApiProperty({ example: '2012-05-04T14:22:10Z' }) @Type(() => Date) @IsDate() placedAt!: Date;

  @ApiProperty({ type: [LegacyOrderLineDto] })
  @ValidateNested({ each: true })
  @Type(() => LegacyOrderLineDto)
  @ArrayMinSize(1)
  @ArrayMaxSize(500)
  lines!: LegacyOrderLineDto[];
}

export class LegacyOrderImportedDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() number!: string;
  @ApiProperty({ description: 'false: an order with this number was already there (nothing changed)' }) created!: boolean;
}
