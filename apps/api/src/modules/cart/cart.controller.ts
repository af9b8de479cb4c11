import { Body, Controller, Delete, Get, Param, Patch, Post, Put, Res } from '@nestjs/common';
import { ApiConflictResponse, ApiCreatedResponse, ApiHeader, ApiNotFoundResponse, ApiOkResponse, ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { CallContext } from '#contracts';
import { AddressDto, Caller, CART_TOKEN_HEADER, OptionalAuth, UuidParam } from '#platform';
import { CartSessionsService } from './cart-sessions.service.js';
import { CartService } from './cart.service.js';
import { AddCouponDto, AddItemDto, CreateCartDto, SetShippingMethodDto, UpdateItemDto } from './dto/cart-inputs.dto.js';
import { CartDto, OpenedCartDto, ShippingMethodDto } from './dto/cart.responses.js';

@ApiTags('carts')
// Open to guests: a Bearer token is optional (customers send it), so the routes are not marked as secured.
@ApiHeader({ name: 'X-Cart-Token', required: false, description: "A guest cart's token (from POST /carts); customers send their Bearer token instead (optional here; refused with 401 if invalid)" })
@ApiNotFoundResponse({ description: "CART.NOT_FOUND: no such cart, another customer's, or a guest cart without its token" })
@OptionalAuth()
@Controller('carts')
export class CartController {
  constructor(
    private readonly sessions: CartSessionsService,
    private readonly carts: CartService,
  ) {}

  @Post()
  @ApiCreatedResponse({ type: OpenedCartDto, description: "A guest's new cart (token also in X-Cart-Token); a customer's open cart, with the guest cart of X-Cart-Token merged in" })
  async open(@Caller() ctx: CallContext, @Body() dto: CreateCartDto, @Res({ passthrough: true }) reply: FastifyReply) {
    const cart = await this.sessions.open(ctx, dto);
    if (cart.token) void reply.header(CART_TOKEN_HEADER, cart.token);
    return cart;
  }

  @Get(':id') @ApiOkResponse({ type: CartDto })
  get(@Caller() ctx: CallContext, @UuidParam('id') id: string) { return this.carts.get(ctx, id); }

  @Post(':id/items')
  @ApiCreatedResponse({ type: CartDto, description: 'Same SKU adds to its line. 400 quantity, 404 CART.SKU_NOT_FOUND, 422 CART.NOT_PURCHASABLE / CART.CURRENCY_MISMATCH, 409 CART.OUT_OF_STOCK / CART.NOT_OPEN' })
  addItem(@Caller() ctx: CallContext, @UuidParam('id') id: string, @Body() dto: AddItemDto) { return this.carts.addItem(ctx, id, dto); }

  @Patch(':id/items/:lineId') @ApiOkResponse({ type: CartDto }) @ApiConflictResponse({ description: 'CART.OUT_OF_STOCK, CART.NOT_OPEN' })
  setQuantity(@Caller() ctx: CallContext, @UuidParam('id') id: string, @UuidParam('lineId') lineId: string, @Body() dto: UpdateItemDto) { return this.carts.setQuantity(ctx, id, lineId, dto.quantity); }

  @Delete(':id/items/:lineId') @ApiOkResponse({ type: CartDto })
  removeItem(@Caller() ctx: CallContext, @UuidParam('id') id: string, @UuidParam('lineId') lineId: string) { return this.carts.removeItem(ctx, id, lineId); }

  @Post(':id/coupons') @ApiCreatedResponse({ type: CartDto }) @ApiUnprocessableEntityResponse({ description: 'The code does not apply: `reason` says why (expired, exhausted, minimum_not_met, ...)' })
  addCoupon(@Caller() ctx: CallContext, @UuidParam('id') id: string, @Body() dto: AddCouponDto) { return this.carts.addCoupon(ctx, id, dto.code); }

  @Delete(':id/coupons/:code') @ApiOkResponse({ type: CartDto })
  removeCoupon(@Caller() ctx: CallContext, @UuidParam('id') id: string, @Param('code') code: string) { return this.carts.removeCoupon(ctx, id, code); }

  @Put(':id/shipping-address') @ApiOkResponse({ type: CartDto })
  setShippingAddress(@Caller() ctx: CallContext, @UuidParam('id') id: string, @Body() dto: AddressDto) { return this.carts.setShippingAddress(ctx, id, dto); }

  @Put(':id/shipping-method') @ApiOkResponse({ type: CartDto }) @ApiUnprocessableEntityResponse({ description: 'CART.UNKNOWN_SHIPPING_METHOD' })
  setShippingMethod(@Caller() ctx: CallContext, @UuidParam('id') id: string, @Body() dto: SetShippingMethodDto) { return this.carts.setShippingMethod(ctx, id, dto.methodId); }

  @Get(':id/shipping-methods') @ApiOkResponse({ type: [ShippingMethodDto], description: 'Flat rates (SHIPPING_FLAT_RATES) until a shipping context quotes real ones; the first is the default' })
  shippingMethods(@Caller() ctx: CallContext, @UuidParam('id') id: string) { return this.carts.shippingMethods(ctx, id); }
}
