import { ApiProperty } from '@nestjs/swagger';
import { IsInt, IsString, IsUUID, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';

export class CreatePaymentDto {
  @ApiProperty({ format: 'uuid' }) @IsUUID()
  orderId!: string;

  @ApiProperty({ description: 'Integer minor units', minimum: 1, maximum: 99_999_999 }) @IsInt() @Min(1) @Max(99_999_999)
  amount!: number;

  @ApiProperty({ example: 'EUR', description: 'ISO 4217' }) @Matches(/^[A-Za-z]{3}$/)
  currency!: string;

  @ApiProperty({ example: 'tok_ok', description: "The provider's card token" }) @IsString() @MinLength(1) @MaxLength(255)
  token!: string;
}
