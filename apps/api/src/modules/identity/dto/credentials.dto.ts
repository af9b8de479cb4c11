import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEmail, IsString, Length, MaxLength } from 'class-validator';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../password-hasher.js';

export const trimmed = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

/** Email as typed by a person: trimmed before it is checked; lower-cased by the use case. */
export const EmailField = (): PropertyDecorator => (target, key) => {
  ApiProperty({ example: 'ada@example.com', maxLength: 254 })(target, key);
  Transform(trimmed)(target, key);
  MaxLength(254)(target, key);
  IsEmail({}, { message: 'email must be an email address' })(target, key);
};

export const PasswordField = (): PropertyDecorator => (target, key) => {
  ApiProperty({ minLength: PASSWORD_MIN_LENGTH, maxLength: PASSWORD_MAX_LENGTH, format: 'password' })(target, key);
  IsString()(target, key);
  Length(PASSWORD_MIN_LENGTH, PASSWORD_MAX_LENGTH, {
    message: `password must be ${PASSWORD_MIN_LENGTH} to ${PASSWORD_MAX_LENGTH} characters`,
  })(target, key);
};

export class LoginDto {
  @EmailField() email!: string;
  // Any length is checked against the hash, but nothing past the maximum can be right.
  @ApiProperty({ format: 'password', maxLength: PASSWORD_MAX_LENGTH })
  @IsString()
  @Length(1, PASSWORD_MAX_LENGTH)
  password!: string;
}

export class ForgotPasswordDto {
  @EmailField() email!: string;
}

export class ResetPasswordDto {
  @ApiProperty({ description: 'The token from the reset email' }) @IsString() @Length(16, 128) token!: string;
  @PasswordField() password!: string;
}
