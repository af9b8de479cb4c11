import { Body, Controller, Post, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiCreatedResponse, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { CallContext } from '#contracts';
import { Caller, IdempotencyKey, OptionalAuth, RequireIdempotencyKey } from '#platform';
import { CheckoutResponseDto } from '../dto/order.responses.js';
import { type CheckoutAnswer, CheckoutService } from './checkout.service.js';
import { CheckoutDto } from './checkout.dto.js';

const answer = (reply: FastifyReply, { status, body }: CheckoutAnswer) => {
  reply.status(status);
  return body;
};

@ApiTags('checkout')
@OptionalAuth()
@Controller('checkout')
export class CheckoutController {
  constructor(private readonly checkout: CheckoutService) {}

  @Post() @RequireIdempotencyKey()
  @ApiCreatedResponse({ type: CheckoutResponseDto, description: 'Paid. A retry with the same Idempotency-Key gets this answer again (or, after a 5xx, finishes the same order)' })
  @ApiAcceptedResponse({ type: CheckoutResponseDto, description: 'The provider holds the payment pending: the order stays pending_payment until the payment events settle it' })
  @ApiResponse({ status: 402, description: 'CHECKOUT.PAYMENT_DECLINED: the order is cancelled, stock and promotions released; the cart stays open for another card (new Idempotency-Key)' })
  @ApiResponse({ status: 409, description: 'INVENTORY.OUT_OF_STOCK (skus); CHECKOUT.PRICES_CHANGED (a unit price, or the total of a cart whose address and method the checkout leaves as they were, moved since the cart was shown: new totals, nothing reserved; check out again with a new key); CHECKOUT.CART_HAS_ORDER (the cart has a pending or paid order: retry that one with its key); CHECKOUT.ORDER_CANCELLED (a retry whose order was cancelled meanwhile)' })
  @ApiResponse({ status: 422, description: 'CHECKOUT.INCOMPLETE (missing: lines, shippingAddress, email), PRICING.PROMOTION_EXHAUSTED, PRICING.PROMOTION_ENDED (switched off or out of its window since the cart was priced)' })
  @ApiResponse({ status: 503, description: 'PAYMENTS.UNAVAILABLE (breaker open) or PAYMENTS.OUTCOME_UNKNOWN (the provider did not confirm in time), with Retry-After: the order stays pending_payment with its stock; retry with the same key to finish it (reconciliation settles it if nobody retries)' })
  create(@Caller() ctx: CallContext, @IdempotencyKey() key: string, @Body() dto: CheckoutDto, @Res({ passthrough: true }) reply: FastifyReply) { return this.checkout.checkout(ctx, key, dto).then((a) => answer(reply, a)); }
}
