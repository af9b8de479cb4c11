import { Body, Controller, Delete, Get, HttpCode, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { CallContext } from '#contracts';
import { Caller, Roles, UuidParam } from '#platform';
import { TaxRateDto } from './dto/pricing.responses.js';
import { CreateTaxRateDto, UpdateTaxRateDto } from './dto/tax-rate.dto.js';
import { TaxRatesService } from './tax-rates.service.js';

@ApiTags('admin: pricing')
@ApiBearerAuth()
@Roles('admin')
@Controller('admin/tax-rates')
export class TaxRatesAdminController {
  constructor(private readonly rates: TaxRatesService) {}

  @Post() @ApiCreatedResponse({ type: TaxRateDto, description: '409 PRICING.TAX_RATE_EXISTS when the country (or region) has one' })
  create(@Caller() ctx: CallContext, @Body() dto: CreateTaxRateDto) { return this.rates.create(ctx, dto); }

  @Get() @ApiOkResponse({ type: [TaxRateDto], description: 'By country, then region' })
  list(@Caller() ctx: CallContext) { return this.rates.list(ctx); }

  @Get(':id') @ApiOkResponse({ type: TaxRateDto })
  get(@Caller() ctx: CallContext, @UuidParam('id') id: string) { return this.rates.get(ctx, id); }

  @Patch(':id') @ApiOkResponse({ type: TaxRateDto })
  update(@Caller() ctx: CallContext, @UuidParam('id') id: string, @Body() dto: UpdateTaxRateDto) { return this.rates.update(ctx, id, dto); }

  @Delete(':id') @HttpCode(204) @ApiNoContentResponse()
  remove(@Caller() ctx: CallContext, @UuidParam('id') id: string) { return this.rates.remove(ctx, id); }
}
