import { Injectable } from '@nestjs/common';
import type { CallContext, OrdersApi } from '#contracts';
import { OrdersService } from './orders.service.js';

/** OrdersApi for other contexts (shipping, notifications), behind ORDERS_API. */
@Injectable()
export class OrdersFacade implements OrdersApi {
  constructor(private readonly orders: OrdersService) {}

  getOrder(ctx: CallContext, orderId: string) {
    return this.orders.get(ctx, orderId);
  }
}
