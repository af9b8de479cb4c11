import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  IsUUID,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { IsAttributeMap, IsOptionMap } from './maps.validators.js';
import { SlugField } from './taxonomy.dto.js';

const MAX_AMOUNT = 100_000_000;

export class MoneyDto {
  @ApiProperty({ description: 'Integer minor units (cents)', example: 4999, minimum: 0, maximum: MAX_AMOUNT }) @IsInt() @Min(0) @Max(MAX_AMOUNT) amount!: number;
  @ApiProperty({ example: 'EUR', pattern: '^[A-Z]{3}$' }) @Matches(/^[A-Z]{3}$/, { message: 'currency must be an ISO 4217 code such as EUR' }) currency!: string;
}

export class VariantInput {
  @ApiProperty({ example: 'TSHIRT-RED-M', maxLength: 64 }) @Matches(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, { message: 'sku must be 1 to 64 letters, digits, dots, underscores or hyphens' }) sku!: string;
  @ApiPropertyOptional({ example: { size: 'M', color: 'Red' }, type: 'object', additionalProperties: { type: 'string' } }) @IsOptional() @IsOptionMap() options?: Record<string, string>;
  @ApiProperty({ type: MoneyDto }) @ValidateNested() @Type(() => MoneyDto) price!: MoneyDto;
  @ApiPropertyOptional({ type: MoneyDto }) @IsOptional() @ValidateNested() @Type(() => MoneyDto) compareAtPrice?: MoneyDto;
  @ApiPropertyOptional({ minimum: 0, maximum: 1_000_000 }) @IsOptional() @IsInt() @Min(0) @Max(1_000_000) weightGrams?: number;
  @ApiPropertyOptional({ maxLength: 64 }) @IsOptional() @IsString() @Length(1, 64) barcode?: string;
  @ApiPropertyOptional({ description: 'Until the inventory context sets it' }) @IsOptional() @IsBoolean() inStock?: boolean;
}

export class VariantUpdate {
  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'string' } }) @IsOptional() @IsOptionMap() options?: Record<string, string>;
  @ApiPropertyOptional({ type: MoneyDto }) @IsOptional() @ValidateNested() @Type(() => MoneyDto) price?: MoneyDto;
  @ApiPropertyOptional({ type: MoneyDto, nullable: true }) @IsOptional() @ValidateNested() @Type(() => MoneyDto) compareAtPrice?: MoneyDto | null;
  @ApiPropertyOptional({ minimum: 0, maximum: 1_000_000 }) @IsOptional() @IsInt() @Min(0) @Max(1_000_000) weightGrams?: number;
  @ApiPropertyOptional({ maxLength: 64 }) @IsOptional() @IsString() @Length(1, 64) barcode?: string;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() inStock?: boolean;
}

export class ImageInput {
  @ApiProperty({ example: 'https://cdn.example.com/p/1.jpg', maxLength: 2048 }) @IsUrl({ protocols: ['http', 'https'], require_protocol: true }) @MaxLength(2048) url!: string;
  @ApiPropertyOptional({ maxLength: 300 }) @IsOptional() @IsString() @MaxLength(300) alt?: string;
}

const STATUSES = ['draft', 'active', 'archived'] as const;

export class ProductInput {
  @ApiProperty({ example: 'Trail running shoe', maxLength: 200 }) @IsString() @Length(1, 200) name!: string;
  @SlugField() slug?: string;
  @ApiPropertyOptional({ maxLength: 20000 }) @IsOptional() @IsString() @MaxLength(20000) description?: string;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() brandId?: string;
  @ApiPropertyOptional({ type: [String], format: 'uuid' }) @IsOptional() @IsArray() @ArrayMaxSize(20) @ArrayUnique() @IsUUID('all', { each: true }) categoryIds?: string[];
  @ApiPropertyOptional({ enum: STATUSES, default: 'draft' }) @IsOptional() @IsIn(STATUSES) status?: (typeof STATUSES)[number];
  @ApiPropertyOptional({ example: { color: ['red'] }, type: 'object', additionalProperties: { type: 'array', items: { type: 'string' } } }) @IsOptional() @IsAttributeMap() attributes?: Record<string, string[]>;
  @ApiPropertyOptional({ type: [ImageInput], description: 'In display order' }) @IsOptional() @IsArray() @ArrayMaxSize(30) @ValidateNested({ each: true }) @Type(() => ImageInput) images?: ImageInput[];
  @ApiProperty({ type: [VariantInput] }) @IsArray() @ArrayMaxSize(100) @ValidateNested({ each: true }) @Type(() => VariantInput) variants!: VariantInput[];
}

export class ProductUpdate {
  @ApiPropertyOptional({ maxLength: 200 }) @IsOptional() @IsString() @Length(1, 200) name?: string;
  @SlugField() slug?: string;
  @ApiPropertyOptional({ maxLength: 20000 }) @IsOptional() @IsString() @MaxLength(20000) description?: string;
  @ApiPropertyOptional({ format: 'uuid', nullable: true }) @IsOptional() @IsUUID() brandId?: string | null;
  @ApiPropertyOptional({ type: [String], format: 'uuid' }) @IsOptional() @IsArray() @ArrayMaxSize(20) @ArrayUnique() @IsUUID('all', { each: true }) categoryIds?: string[];
  @ApiPropertyOptional({ enum: STATUSES }) @IsOptional() @IsIn(STATUSES) status?: (typeof STATUSES)[number];
  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'array', items: { type: 'string' } } }) @IsOptional() @IsAttributeMap() attributes?: Record<string, string[]>;
  @ApiPropertyOptional({ type: [ImageInput], description: 'Replaces the images' }) @IsOptional() @IsArray() @ArrayMaxSize(30) @ValidateNested({ each: true }) @Type(() => ImageInput) images?: ImageInput[];
}
