import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEmail, IsString, Length, MaxLength } from 'class-validator';
import { RequiredText } from './fields.js';

// Identity's password policy, checked here too so a bad password is a 400 naming the field.
const PASSWORD = { min: 10, max: 128 };

/** Exactly these fields: anything else (`roles`, `status`) is refused, not ignored. */
export class RegisterDto {
  @ApiProperty({ example: 'ada@example.com', maxLength: 254, description: 'Trimmed and lower-cased; unique' })
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value))
  @MaxLength(254)
  @IsEmail({}, { message: 'email must be an email address' })
  email!: string;

  @ApiProperty({ format: 'password', minLength: PASSWORD.min, maxLength: PASSWORD.max })
  @IsString()
  @Length(PASSWORD.min, PASSWORD.max, { message: `password must be ${PASSWORD.min} to ${PASSWORD.max} characters` })
  password!: string;

  @RequiredText(100, 'Ada Lovelace') name!: string;
}
