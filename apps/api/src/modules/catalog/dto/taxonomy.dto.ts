import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, IsString, IsUUID, Length, Matches, Max, Min, ValidateIf } from 'class-validator';
import { SLUG_PATTERN } from '../slug.js';

export const SlugField = (): PropertyDecorator => (target, key) => {
  ApiPropertyOptional({ example: 'running-shoes', pattern: SLUG_PATTERN.source, description: 'Made from the name when left out' })(target, key);
  IsOptional()(target, key);
  Length(1, 120)(target, key);
  Matches(SLUG_PATTERN, { message: 'slug must be lower-case letters and digits separated by single hyphens' })(target, key);
};

export class BrandInput {
  @ApiProperty({ example: 'Acme', maxLength: 120 }) @IsString() @Length(1, 120) name!: string;
  @SlugField() slug?: string;
}

export class BrandUpdate {
  @ApiPropertyOptional({ maxLength: 120 }) @IsOptional() @IsString() @Length(1, 120) name?: string;
  @SlugField() slug?: string;
}

export class CategoryInput {
  @ApiProperty({ example: 'Running shoes', maxLength: 120 }) @IsString() @Length(1, 120) name!: string;
  @SlugField() slug?: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'Omitted: a top-level category' }) @IsOptional() @IsUUID() parentId?: string;
  @ApiPropertyOptional({ minimum: 0, maximum: 100000, description: 'Order among siblings' }) @IsOptional() @IsInt() @Min(0) @Max(100000) position?: number;
}

export class CategoryUpdate {
  @ApiPropertyOptional({ maxLength: 120 }) @IsOptional() @IsString() @Length(1, 120) name?: string;
  @SlugField() slug?: string;
  @ApiPropertyOptional({ format: 'uuid', nullable: true, description: 'null moves it to the top level; its subtree moves with it' })
  @ValidateIf((_, value) => value !== null && value !== undefined)
  @IsUUID()
  parentId?: string | null;
  @ApiPropertyOptional({ minimum: 0, maximum: 100000 }) @IsOptional() @IsInt() @Min(0) @Max(100000) position?: number;
}
