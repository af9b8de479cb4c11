import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { CallContext } from '#contracts';
import { Caller, Roles } from '#platform';
import { AdjustStockDto } from './dto/adjust-stock.dto.js';
import { StockViewDto } from './dto/stock.responses.js';
import { StockMovementsQuery } from './dto/stock-movements.query.js';
import { StockService } from './stock.service.js';

@ApiTags('admin: inventory')
@ApiBearerAuth()
@Roles('admin')
@Controller('admin/inventory')
export class InventoryAdminController {
  constructor(private readonly stock: StockService) {}

  @Get(':sku') @ApiOkResponse({ type: StockViewDto, description: 'Levels per location and movements, newest first' })
  view(@Caller() ctx: CallContext, @Param('sku') sku: string, @Query() query: StockMovementsQuery) { return this.stock.view(ctx, sku, query); }

  @Post(':sku/adjustments') @ApiCreatedResponse({ type: StockViewDto, description: '409 when on hand would drop below zero or below the reserved units' })
  adjust(@Caller() ctx: CallContext, @Param('sku') sku: string, @Body() dto: AdjustStockDto) { return this.stock.adjust(ctx, sku, dto); }
}
