import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsDate, IsEmail, IsIn, IsInt, IsOptional, IsString, Length, Max, MaxLength, Min } from 'class-validator';
import type { OrderStatus } from '#contracts';
import { ORDER_STATUSES } from '../order-status.js';

const trimmedLower = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toLowerCase() : value);

export class OrderPageQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: 10000, default: 1 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(10000) page = 1;
  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 20 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(100) pageSize = 20;
}

export class AdminOrdersQuery extends OrderPageQuery {
  @ApiPropertyOptional({ enum: ORDER_STATUSES }) @IsOptional() @IsIn(ORDER_STATUSES) status?: OrderStatus;
  @ApiPropertyOptional() @IsOptional() @Transform(trimmedLower) @IsEmail() @MaxLength(320) email?: string;
  @ApiPropertyOptional({ description: 'Placed at or after (ISO 8601)', example: '2026-11-27T00:00:00Z' }) @IsOptional() @Type(() => Date) @IsDate() from?: Date;
  @ApiPropertyOptional({ description: 'Placed before (ISO 8601)' }) @IsOptional() @Type(() => Date) @IsDate() to?: Date;
}

export class OrderLookupDto {
  @ApiProperty({ example: 'FC-7K3M-92QD', description: 'Case and dashes do not matter' }) @IsString() @Length(8, 20) number!: string;
  @ApiProperty({ example: 'ada@example.com' }) @Transform(trimmedLower) @IsEmail() @MaxLength(320) email!: string;
}

export class TransitionDto {
  @ApiProperty({ enum: ORDER_STATUSES, description: 'paid, refunded and partially_refunded follow payments and cannot be requested' }) @IsIn(ORDER_STATUSES) to!: OrderStatus;
  @ApiPropertyOptional({ maxLength: 500 }) @IsOptional() @IsString() @Length(1, 500) reason?: string;
}

export class CancelDto {
  @ApiPropertyOptional({ maxLength: 500 }) @IsOptional() @IsString() @Length(1, 500) reason?: string;
}

export class NoteDto {
  @ApiProperty({ maxLength: 2000 }) @IsString() @Length(1, 2000) text!: string;
}
