import { ApiProperty } from '@nestjs/swagger';
import type { AccountStatus, AccountView, Role, TokenPair } from '#contracts';
import { ROLES } from '#contracts';

export class TokenPairDto implements TokenPair {
  @ApiProperty({ description: 'RS256 JWT; send as "Authorization: Bearer ..."' }) accessToken!: string;
  @ApiProperty({ description: 'Opaque; single use, exchanged at POST /auth/refresh' }) refreshToken!: string;
  @ApiProperty({ enum: ['Bearer'] }) tokenType!: 'Bearer';
  @ApiProperty({ description: 'Lifetime of the access token in seconds', example: 900 }) expiresIn!: number;
}

export class AccountDto implements AccountView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() email!: string;
  @ApiProperty({ enum: ROLES, isArray: true }) roles!: Role[];
  @ApiProperty({ enum: ['active', 'disabled'] }) status!: AccountStatus;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

export class WhoAmIDto {
  @ApiProperty({ format: 'uuid' }) userId!: string;
  @ApiProperty({ enum: ROLES, isArray: true }) roles!: string[];
}

export class JwkDto {
  @ApiProperty({ enum: ['RSA'] }) kty!: string;
  @ApiProperty() kid!: string;
  @ApiProperty({ enum: ['sig'] }) use!: string;
  @ApiProperty({ enum: ['RS256'] }) alg!: string;
  @ApiProperty() n!: string;
  @ApiProperty() e!: string;
}

export class JwksDto {
  @ApiProperty({ type: [JwkDto] }) keys!: JwkDto[];
}
