import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEmail, IsString, Length, MaxLength } from 'class-validator';

/** The password policy of every account (identity enforces it; registration and reset validate it). */
export const PASSWORD_POLICY = { minLength: 10, maxLength: 128 } as const;

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

/** An email as a person types it: trimmed, then checked; the use case lower-cases it. */
export const EmailField = (description?: string) =>
  applyDecorators(
    ApiProperty({ example: 'ada@example.com', maxLength: 254, description }),
    Transform(trim),
    MaxLength(254),
    IsEmail({}, { message: 'email must be an email address' }),
  );

/** A new password under the policy. */
export const PasswordField = () =>
  applyDecorators(
    ApiProperty({ minLength: PASSWORD_POLICY.minLength, maxLength: PASSWORD_POLICY.maxLength, format: 'password' }),
    IsString(),
    Length(PASSWORD_POLICY.minLength, PASSWORD_POLICY.maxLength, {
      message: `password must be ${PASSWORD_POLICY.minLength} to ${PASSWORD_POLICY.maxLength} characters`,
    }),
  );
