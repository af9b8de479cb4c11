import { Body, Controller, Get, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { CallContext } from '#contracts';
import { Caller, IdempotencyKey, RequireIdempotencyKey, Roles, UuidParam } from '#platform';
import { CreatePaymentDto } from './dto/create-payment.dto.js';
import { CreateRefundDto } from './dto/create-refund.dto.js';
import { PaymentViewDto, RefundViewDto } from './dto/payment.responses.js';
import { PaymentsService } from './payments.service.js';

@ApiTags('payments')
@ApiBearerAuth()
@Controller()
export class PaymentsController {
  constructor(private readonly payments: PaymentsService) {}

  @Post('payments') @RequireIdempotencyKey() @ApiCreatedResponse({ type: PaymentViewDto, description: 'Authorized, or captured in immediate capture mode. A decline is 422 PAYMENTS.DECLINED; 503 (Retry-After) when the provider is unavailable or did not confirm: retry with the same key' })
  create(@Caller() ctx: CallContext, @IdempotencyKey() key: string, @Body() dto: CreatePaymentDto) { return this.payments.authorize(ctx, { ...dto, idempotencyKey: key }); }

  @Post('payments/:id/refunds') @Roles('admin') @RequireIdempotencyKey() @ApiCreatedResponse({ type: RefundViewDto, description: 'More than captured and not yet refunded is 422; a payment with nothing captured is 409' })
  refund(@Caller() ctx: CallContext, @UuidParam('id') id: string, @IdempotencyKey() key: string, @Body() dto: CreateRefundDto) { return this.payments.refund(ctx, { paymentId: id, amount: dto.amount, idempotencyKey: key }); }

  @Get('orders/:orderId/payments') @ApiOkResponse({ type: [PaymentViewDto], description: "Admins see all; others the payments they made" })
  forOrder(@Caller() ctx: CallContext, @UuidParam('orderId') orderId: string) { return this.payments.listForOrder(ctx, orderId); }
}
