import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';
import { EmailField, PASSWORD_POLICY, PasswordField } from '#platform';

export class LoginDto {
  @EmailField() email!: string;
  // Any length is checked against the hash, but nothing past the maximum can be right.
  @ApiProperty({ format: 'password', maxLength: PASSWORD_POLICY.maxLength })
  @IsString()
  @Length(1, PASSWORD_POLICY.maxLength)
  password!: string;
}

export class ForgotPasswordDto {
  @EmailField() email!: string;
}

export class ResetPasswordDto {
  @ApiProperty({ description: 'The token from the reset email' }) @IsString() @Length(16, 128) token!: string;
  @PasswordField() password!: string;
}
