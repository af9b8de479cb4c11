import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { IsBoolean } from 'class-validator';
import { AddressDto, Optional } from '#platform';

export class CreateAddressDto extends AddressDto {
  @ApiPropertyOptional({ description: 'true makes it the default shipping address in place of the previous one; a first address always is' })
  @Optional()
  @IsBoolean()
  isDefaultShipping?: boolean;

  @ApiPropertyOptional({ description: 'true makes it the default billing address in place of the previous one; a first address always is' })
  @Optional()
  @IsBoolean()
  isDefaultBilling?: boolean;
}

/** Any subset of the fields; null clears an optional field and is refused for a required one. */
export class UpdateAddressDto extends PartialType(CreateAddressDto, { skipNullProperties: false }) {}

export class SavedAddressDto extends AddressDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() isDefaultShipping!: boolean;
  @ApiProperty() isDefaultBilling!: boolean;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}
