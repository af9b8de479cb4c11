import { Controller, Get, Query, UseInterceptors } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { CallContext } from '#contracts';
import { Caller, Public } from '#platform';
import { AttributeFiltersInterceptor } from './attribute-filters.interceptor.js';
import { SearchQueryDto, SuggestQueryDto } from './dto/search-query.dto.js';
import { SearchResultDto } from './dto/search.responses.js';
import { SearchService } from './search.service.js';

@ApiTags('search')
@Public()
@Controller('search')
export class SearchController {
  constructor(private readonly search: SearchService) {}

  @Get() @UseInterceptors(AttributeFiltersInterceptor) @ApiOkResponse({ type: SearchResultDto })
  @ApiQuery({ name: 'attr.color', required: false, type: String, description: 'Any attr.<name> filters by that attribute: values repeated or comma-separated' })
  @ApiBadRequestResponse({ description: 'q over 200 characters, pageSize over 100, minPrice above maxPrice, an unknown sort' })
  find(@Caller() ctx: CallContext, @Query() query: SearchQueryDto) { return this.search.search(ctx, query); }

  @Get('suggest') @ApiOkResponse({ type: [String], description: 'Up to 10 product names' })
  suggest(@Caller() ctx: CallContext, @Query() { q }: SuggestQueryDto) { return this.search.suggest(ctx, q); }
}
