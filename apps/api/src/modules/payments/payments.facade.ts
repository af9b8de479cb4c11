import { Injectable } from '@nestjs/common';
import type { AuthorizeInput, CallContext, PaymentsApi, RefundInput } from '#contracts';
import { PaymentsService } from './payments.service.js';

/** PaymentsApi for other contexts (checkout, orders), behind PAYMENTS_API. */
@Injectable()
export class PaymentsFacade implements PaymentsApi {
  constructor(private readonly payments: PaymentsService) {}

  authorize(ctx: CallContext, input: AuthorizeInput) {
    return this.payments.authorize(ctx, input);
  }

  capture(ctx: CallContext, input: { paymentId: string }) {
    return this.payments.capture(ctx, input.paymentId);
  }

  void(ctx: CallContext, input: { paymentId: string }) {
    return this.payments.void(ctx, input.paymentId);
  }

  refund(ctx: CallContext, input: RefundInput) {
    return this.payments.refund(ctx, input);
  }

  listForOrder(ctx: CallContext, input: { orderId: string }) {
    return this.payments.listForOrder(ctx, input.orderId);
  }
}
