import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import { IsAttributeMap } from './maps.validators.js';

export const PRODUCT_SORTS = ['relevance', 'newest', 'price_asc', 'price_desc', 'name', 'rating'] as const;

/**
 * `GET /products` filters. `attr.<name>=v1,v2` query parameters filter by attribute (any of the
 * values); the controller's pipe gathers them into `attributes` before validation.
 */
export class ListProductsQuery {
  @ApiPropertyOptional({ description: 'Category slug; products of its subcategories included' }) @IsOptional() @IsString() @Length(1, 120) category?: string;
  @ApiPropertyOptional({ description: 'Brand slug' }) @IsOptional() @IsString() @Length(1, 120) brand?: string;
  @ApiPropertyOptional({ description: 'Minor units' }) @IsOptional() @Type(() => Number) @IsInt() @Min(0) minPrice?: number;
  @ApiPropertyOptional({ description: 'Minor units' }) @IsOptional() @Type(() => Number) @IsInt() @Min(0) maxPrice?: number;
  @ApiPropertyOptional() @IsOptional() @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value)) @IsBoolean() inStock?: boolean;
  @ApiPropertyOptional({ enum: PRODUCT_SORTS, default: 'newest', description: 'relevance is the default order (newest) until a query is given; search ranks by text' })
  @IsOptional()
  @IsIn(PRODUCT_SORTS)
  sort: (typeof PRODUCT_SORTS)[number] = 'newest';
  @ApiPropertyOptional({ minimum: 1, maximum: 10000, default: 1 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(10000) page = 1;
  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 20 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(100) pageSize = 20;
  @ApiPropertyOptional({ description: 'Set from attr.<name> parameters', type: 'object', additionalProperties: { type: 'array', items: { type: 'string' } } })
  @IsOptional()
  @IsAttributeMap()
  attributes?: Record<string, string[]>;
}
