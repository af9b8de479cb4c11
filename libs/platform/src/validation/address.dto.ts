import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsISO31661Alpha2 } from 'class-validator';
import { OptionalText, PhoneNumber, RequiredText } from './text-fields.js';

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
