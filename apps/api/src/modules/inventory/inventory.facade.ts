import { Injectable } from '@nestjs/common';
import type { CallContext, InventoryApi, ReserveInput } from '#contracts';
import { ReservationsService } from './reservations.service.js';
import { StockService } from './stock.service.js';

/** InventoryApi for checkout, orders and payments, behind INVENTORY_API. */
@Injectable()
export class InventoryFacade implements InventoryApi {
  constructor(
    private readonly stock: StockService,
    private readonly reservations: ReservationsService,
  ) {}

  availability(ctx: CallContext, skus: string[]) {
    return this.stock.availability(ctx, skus);
  }

  reserve(ctx: CallContext, input: ReserveInput) {
    return this.reservations.reserve(ctx, input);
  }

  commit(ctx: CallContext, reservationId: string) {
    return this.reservations.commit(ctx, reservationId);
  }

  release(ctx: CallContext, reservationId: string, reason: string) {
    return this.reservations.release(ctx, reservationId, reason);
  }

  restock(ctx: CallContext, reservationId: string, reason: string) {
    return this.reservations.restock(ctx, reservationId, reason);
  }
}
