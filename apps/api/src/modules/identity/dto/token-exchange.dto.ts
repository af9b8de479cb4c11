import { ApiProperty } from '@nestjs/swagger';
import { IsInt, Max, Min } from 'class-validator';
import { EmailField } from '#platform';

/** A legacy shop session the proxy resolved: the customer it belongs to. */
export class TokenExchangeDto {
  @ApiProperty({ description: "The legacy shop's customer id", example: 42 })
  @IsInt()
  @Min(1)
  @Max(2147483647)
  legacyCustomerId!: number;

  @EmailField() email!: string;
}

export class ExchangedTokenDto {
  @ApiProperty({ description: 'RS256 JWT for the API, short-lived; no refresh token' }) accessToken!: string;
  @ApiProperty({ enum: ['Bearer'] }) tokenType!: 'Bearer';
  @ApiProperty({ description: 'Lifetime in seconds', example: 300 }) expiresIn!: number;
  @ApiProperty({ format: 'uuid' }) accountId!: string;
  @ApiProperty({ description: 'An account was made for this customer now (none had the email)' }) created!: boolean;
}
