import { applyDecorators } from '@nestjs/common';
import { ApiHideProperty, ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min, ValidateBy } from 'class-validator';
import { SEARCH_SORTS, SearchLimits, type SearchQuery, type SearchSort } from '#contracts';

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const ATTRIBUTE_NAME = /^[a-z0-9_-]{1,50}$/i;
const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() || undefined : value);

/** `attr.<name>` filters: at most 10 attributes, 20 values each, names of letters, digits, - and _. */
const AttributeFilters = () =>
  ValidateBy({
    name: 'attributeFilters',
    validator: {
      validate: (value: unknown) =>
        typeof value === 'object' &&
        value !== null &&
        Object.keys(value).length <= 10 &&
        Object.entries(value).every(
          ([name, values]) =>
            ATTRIBUTE_NAME.test(name) &&
            Array.isArray(values) &&
            values.length >= 1 &&
            values.length <= 20 &&
            values.every((v) => typeof v === 'string' && v.length >= 1 && v.length <= 100),
        ),
      defaultMessage: () => 'attr.<name> takes names of letters, digits, - and _ (at most 10) with 1 to 20 values of 1 to 100 characters',
    },
  });

/** An optional slug (lower-case words joined by hyphens). */
const SlugFilter = (example: string, description: string) =>
  applyDecorators(
    ApiPropertyOptional({ example, description, maxLength: 200, pattern: SLUG.source }),
    IsOptional(),
    IsString(),
    Matches(SLUG, { message: '$property must be a slug' }),
    MaxLength(200),
  );

/** A price in minor units: a non-negative integer. */
const PriceBound = (description: string) =>
  applyDecorators(ApiPropertyOptional({ minimum: 0, description }), IsOptional(), Type(() => Number), IsInt(), Min(0));

/** GET /search. `attr.color=red&attr.color=blue` (or `attr.color=red,blue`) arrives as `attributes`. */
export class SearchQueryDto implements SearchQuery {
  @ApiPropertyOptional({ maxLength: SearchLimits.queryMaxLength, example: '"rain jacket" -kids', description: 'websearch syntax: "phrase", OR, -exclude' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(SearchLimits.queryMaxLength)
  q?: string;

  @SlugFilter('outdoor', 'A category slug; products of its sub-categories match too')
  category?: string;

  @SlugFilter('northwind', 'A brand slug')
  brand?: string;

  @PriceBound('Minor units, inclusive, on the lowest variant price')
  minPrice?: number;

  @PriceBound('Minor units, inclusive; not below minPrice')
  maxPrice?: number;

  @ApiPropertyOptional({ enum: SEARCH_SORTS, description: 'Default: relevance with q, newest without' })
  @IsOptional()
  @IsIn(SEARCH_SORTS)
  sort?: SearchSort;

  @ApiPropertyOptional({ minimum: 1, maximum: SearchLimits.pageMax, default: 1 })
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(SearchLimits.pageMax)
  page: number = 1;

  @ApiPropertyOptional({ minimum: 1, maximum: SearchLimits.pageSizeMax, default: SearchLimits.pageSizeDefault })
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(SearchLimits.pageSizeMax)
  pageSize: number = SearchLimits.pageSizeDefault;

  // On the wire these are attr.<name>=<value> parameters (documented on the route), gathered by
  // AttributeFiltersInterceptor; a query parameter named `attributes` is not what clients send.
  @ApiHideProperty()
  @IsOptional()
  @AttributeFilters()
  attributes?: Record<string, string[]>;
}

export class SuggestQueryDto {
  @ApiProperty({ maxLength: SearchLimits.queryMaxLength, example: 'rain ja', description: 'What has been typed so far' })
  @IsString()
  @MaxLength(SearchLimits.queryMaxLength)
  q!: string;
}
