import { ApiProperty } from '@nestjs/swagger';
import { type CustomerView, ROLES, type TokenPair } from '#contracts';

export class CustomerDto implements CustomerView {
  @ApiProperty({ format: 'uuid', description: 'The same id as the account' }) id!: string;
  @ApiProperty({ example: 'ada@example.com' }) email!: string;
  @ApiProperty({ example: 'Ada Lovelace' }) name!: string;
  @ApiProperty({ type: String, nullable: true, example: '+4930901820', description: 'E.164' }) phone!: string | null;
  @ApiProperty() marketingConsent!: boolean;
  @ApiProperty({ enum: ['active', 'disabled'] }) status!: 'active' | 'disabled';
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}

export class MeDto extends CustomerDto {
  @ApiProperty({ enum: ROLES, isArray: true, description: "From the access token; a change shows after the next refresh" })
  roles!: string[];
}

export class CustomerPageDto {
  @ApiProperty({ type: [CustomerDto] }) items!: CustomerDto[];
  @ApiProperty({ minimum: 1 }) page!: number;
  @ApiProperty({ minimum: 1, maximum: 100 }) pageSize!: number;
  @ApiProperty({ minimum: 0, description: 'Matches across all pages' }) total!: number;
}

export class RegisteredUserDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'ada@example.com', description: 'As stored: trimmed and lower-cased' }) email!: string;
  @ApiProperty({ example: 'Ada Lovelace' }) name!: string;
  @ApiProperty({ enum: ROLES, isArray: true }) roles!: string[];
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

export class RegistrationTokensDto implements TokenPair {
  @ApiProperty({ description: 'RS256 JWT; send as "Authorization: Bearer ..."' }) accessToken!: string;
  @ApiProperty({ description: 'Opaque; single use, exchanged at POST /auth/refresh' }) refreshToken!: string;
  @ApiProperty({ enum: ['Bearer'] }) tokenType!: 'Bearer';
  @ApiProperty({ description: 'Lifetime of the access token in seconds', example: 900 }) expiresIn!: number;
}

export class RegisteredDto {
  @ApiProperty({ type: RegisteredUserDto }) user!: RegisteredUserDto;
  @ApiProperty({ type: RegistrationTokensDto, description: 'The new account is signed in' }) tokens!: RegistrationTokensDto;
}
