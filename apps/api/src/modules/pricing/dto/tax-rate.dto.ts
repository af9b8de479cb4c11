import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { IsInt, IsISO31661Alpha2, IsOptional, IsString, Length, Matches, Max, Min } from 'class-validator';

export class CreateTaxRateDto {
  @ApiProperty({ example: 'DE', description: 'ISO 3166-1 alpha-2' })
  @IsISO31661Alpha2({ message: 'countryCode must be an ISO 3166-1 alpha-2 code' })
  countryCode!: string;

  @ApiPropertyOptional({ example: 'BY', description: 'A region of the country (its code, any case); its rate wins over the country rate', nullable: true })
  @IsOptional() @Matches(/^[A-Za-z0-9][A-Za-z0-9 _-]{0,63}$/, { message: 'region must be 1 to 64 letters, digits, spaces, underscores or hyphens' })
  region?: string | null;

  @ApiProperty({ example: 1900, minimum: 0, maximum: 10000, description: 'Basis points: 1900 = 19 %' })
  @IsInt() @Min(0) @Max(10_000)
  basisPoints!: number;

  @ApiProperty({ example: 'MwSt 19 %', maxLength: 80 })
  @IsString() @Length(1, 80)
  name!: string;
}

export class UpdateTaxRateDto extends PartialType(CreateTaxRateDto) {}
