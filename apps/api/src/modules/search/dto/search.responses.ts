import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { FacetCount, PriceBucket, SearchFacets, SearchHit, SearchResult } from '#contracts';

export class SearchBrandDto {
  @ApiProperty({ example: 'northwind' }) slug!: string;
  @ApiProperty({ example: 'Northwind' }) name!: string;
}

export class SearchHitDto implements SearchHit {
  @ApiProperty({ format: 'uuid' }) productId!: string;
  @ApiProperty({ example: 'alpine-rain-jacket' }) slug!: string;
  @ApiProperty({ example: 'Alpine Rain Jacket' }) name!: string;
  @ApiProperty({ type: SearchBrandDto, nullable: true }) brand!: SearchBrandDto | null;
  @ApiProperty({ description: 'Minor units', example: 8900 }) priceMin!: number;
  @ApiProperty({ description: 'Minor units', example: 9900 }) priceMax!: number;
  @ApiProperty({ example: 'EUR' }) currency!: string;
  @ApiProperty() inStock!: boolean;
  @ApiProperty({ type: Number, nullable: true, example: 4.5 }) rating!: number | null;
  @ApiProperty({ type: String, nullable: true }) imageUrl!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

export class FacetCountDto implements FacetCount {
  @ApiProperty({ description: 'What to filter by: a slug, or an attribute value', example: 'outdoor' }) value!: string;
  @ApiProperty({ example: 'Outdoor' }) label!: string;
  @ApiProperty({ minimum: 1 }) count!: number;
}

export class PriceBucketDto implements PriceBucket {
  @ApiProperty({ example: '5000-10000' }) key!: string;
  @ApiProperty({ description: 'Minor units, inclusive' }) from!: number;
  @ApiProperty({ type: Number, nullable: true, description: 'Minor units, exclusive; null for no upper bound' }) to!: number | null;
  @ApiProperty({ minimum: 0 }) count!: number;
}

export class SearchFacetsDto implements SearchFacets {
  @ApiProperty({ type: [FacetCountDto] }) category!: FacetCountDto[];
  @ApiProperty({ type: [FacetCountDto] }) brand!: FacetCountDto[];
  @ApiProperty({ type: [PriceBucketDto], description: 'Every fixed bucket, in order, zero counts included' }) price!: PriceBucketDto[];
  @ApiProperty({ type: 'object', additionalProperties: { type: 'array', items: { $ref: '#/components/schemas/FacetCountDto' } }, example: { color: [{ value: 'red', label: 'red', count: 3 }] } })
  attributes!: Record<string, FacetCountDto[]>;
}

export class SearchResultDto implements SearchResult {
  @ApiProperty({ type: [SearchHitDto] }) items!: SearchHitDto[];
  @ApiProperty({ minimum: 0, description: 'Matches across all pages; a lower bound when totalExact is false' }) total!: number;
  @ApiProperty({ description: 'False when more matched than the engine counts (SEARCH_COUNT_LIMIT on the postgres engine): total is then "at least", and facets count that many matches' })
  totalExact!: boolean;
  @ApiProperty({ minimum: 1 }) page!: number;
  @ApiProperty({ minimum: 1, maximum: 100 }) pageSize!: number;
  @ApiProperty({ type: SearchFacetsDto, description: 'Counted over the matches of the query and filters (all of them when totalExact)' }) facets!: SearchFacetsDto;
  @ApiPropertyOptional({ description: 'Present when the query found (almost) nothing and this correction was searched instead', example: 'leather' })
  correctedQuery?: string;
}
