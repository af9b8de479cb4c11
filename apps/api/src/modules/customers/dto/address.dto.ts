import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsISO31661Alpha2 } from 'class-validator';
import { Optional, OptionalText, PhoneNumber, RequiredText } from './fields.js';

const upperCase = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toUpperCase() : value);

/** The postal address cart, checkout, orders and shipping reuse (contracts' `Address`), validated; null where the contract omits a field. */
export class AddressDto {
  @RequiredText(100, 'Ada') firstName!: string;
  @RequiredText(100, 'Lovelace') lastName!: string;
  @OptionalText(100) company?: string | null;
  @RequiredText(200, 'Unter den Linden 1') line1!: string;
  @OptionalText(200) line2?: string | null;
  @RequiredText(100, 'Berlin') city!: string;
  @OptionalText(100) region?: string | null;
  @RequiredText(20, '10117') postalCode!: string;

  @ApiProperty({ description: 'ISO 3166-1 alpha-2; lower case is accepted', example: 'DE', minLength: 2, maxLength: 2 })
  @Transform(upperCase)
  @IsISO31661Alpha2({ message: 'countryCode must be an ISO 3166-1 alpha-2 country code' })
  countryCode!: string;

  @PhoneNumber() phone?: string | null;
}

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
