import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsOptional, IsString, Length, Matches, MaxLength, ValidateIf } from 'class-validator';

type Value = { value: unknown };

const trim = ({ value }: Value) => (typeof value === 'string' ? value.trim() : value);
const blankToNull = ({ value }: Value) => (typeof value === 'string' ? value.trim() || null : value);
// What people type around the digits of a phone number.
const phoneDigits = ({ value }: Value) => (typeof value === 'string' ? value.replace(/[\s().-]/g, '') || null : value);

// These fields end up on labels, invoices and in emails: no newlines, NULs or other control characters.
const PRINTABLE = /^\P{Cc}*$/u;
const printable = () => Matches(PRINTABLE, { message: '$property must not contain control characters' });

/** May be left out, but not sent as null (IsOptional would let null through). */
export const Optional = () => ValidateIf((_: object, value: unknown) => value !== undefined);

export const E164 = /^\+[1-9]\d{6,14}$/;

/** A required line of text, trimmed, 1 to `max` characters. */
export const RequiredText = (max: number, example?: string) =>
  applyDecorators(ApiProperty({ minLength: 1, maxLength: max, example }), Transform(trim), IsString(), Length(1, max), printable());

/** An optional line of text, trimmed; blank or null stores none. */
export const OptionalText = (max: number, example?: string) =>
  applyDecorators(
    ApiPropertyOptional({ type: String, maxLength: max, example, nullable: true, description: 'Blank or null for none' }),
    Transform(blankToNull),
    IsOptional(),
    IsString(),
    MaxLength(max),
    printable(),
  );

/** An optional phone number in E.164; spaces, dots, dashes and brackets are dropped first. */
export const PhoneNumber = () =>
  applyDecorators(
    ApiPropertyOptional({ type: String, example: '+4930901820', nullable: true, pattern: E164.source, description: 'E.164; blank or null for none' }),
    Transform(phoneDigits),
    IsOptional(),
    IsString(),
    Matches(E164, { message: '$property must be an E.164 phone number such as +4930901820' }),
  );
