import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { CallContext } from '#contracts';
import { Caller, Public, UuidParam } from '#platform';
import { OrderLookupDto, OrderPageQuery } from './dto/order-queries.dto.js';
import { OrderPageDto, OrderViewDto } from './dto/order.responses.js';
import { OrdersService } from './orders.service.js';

@ApiTags('orders')
@Controller('orders')
export class OrdersController {
  constructor(private readonly orders: OrdersService) {}

  @Get() @ApiBearerAuth() @ApiOkResponse({ type: OrderPageDto, description: "The caller's own orders, newest first" })
  list(@Caller() ctx: CallContext, @Query() query: OrderPageQuery) { return this.orders.listMine(ctx, query); }

  @Post('lookup') @Public() @HttpCode(200) @ApiOkResponse({ type: OrderViewDto, description: "A guest's order by number and email; 404 unless both match; rate-limited per address (429)" })
  lookup(@Caller() ctx: CallContext, @Body() dto: OrderLookupDto) { return this.orders.lookup(ctx, dto); }

  @Get('lookup') @Public() @ApiOkResponse({ type: OrderViewDto, description: 'As POST /orders/lookup, with number and email in the query' })
  lookupByQuery(@Caller() ctx: CallContext, @Query() query: OrderLookupDto) { return this.orders.lookup(ctx, query); }

  @Get(':id') @ApiBearerAuth() @ApiOkResponse({ type: OrderViewDto, description: "Own orders only: another customer's is 404" })
  get(@Caller() ctx: CallContext, @UuidParam('id') id: string) { return this.orders.get(ctx, id); }
}
