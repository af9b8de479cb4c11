import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsEmail, IsIn, IsOptional, IsString, IsUUID, Length, MaxLength, ValidateNested } from 'class-validator';
import { AddressDto } from '#platform';

const trimmedLower = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toLowerCase() : value);

export class CheckoutPaymentDto {
  @ApiProperty({ enum: ['card'] }) @IsIn(['card'])
  method!: 'card';

  @ApiProperty({ example: 'tok_ok', description: "The provider's card token (tok_ok, tok_decline, tok_insufficient on the simulator)" })
  @IsString() @Length(1, 255)
  token!: string;
}

export class CheckoutDto {
  @ApiProperty({ format: 'uuid' }) @IsUUID()
  cartId!: string;

  @ApiPropertyOptional({ description: "Required for guests; a customer's defaults to the account's email", example: 'ada@example.com' })
  @IsOptional() @Transform(trimmedLower) @IsEmail() @MaxLength(320)
  email?: string;

  @ApiPropertyOptional({ type: AddressDto, description: "Stored on the cart; may be omitted when the cart has one" })
  @IsOptional() @ValidateNested() @Type(() => AddressDto)
  shippingAddress?: AddressDto;

  @ApiPropertyOptional({ type: AddressDto, description: 'Defaults to the shipping address' })
  @IsOptional() @ValidateNested() @Type(() => AddressDto)
  billingAddress?: AddressDto;

  @ApiPropertyOptional({ description: "Default: the cart's method, else the default one" }) @IsOptional() @IsString() @Length(1, 64)
  shippingMethodId?: string;

  @ApiProperty({ type: CheckoutPaymentDto }) @ValidateNested() @Type(() => CheckoutPaymentDto)
  payment!: CheckoutPaymentDto;
}
