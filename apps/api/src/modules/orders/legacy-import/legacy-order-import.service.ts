import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { CallContext } from '#contracts';
import { LegacyOrderTotalMismatchError } from './legacy-import.errors.js';
import type { LegacyOrderDto, LegacyOrderImportedDto } from './legacy-order.dto.js';
import { LegacyOrderImportRepository } from './legacy-order-import.repository.js';

/** The legacy shop kept no addresses on orders: imported orders say so instead. */
const NO_ADDRESS = { firstName: '-', lastName: '-', line1: 'not recorded by the legacy shop', city: '-', postalCode: '-', countryCode: 'ZZ' };
const NO_SHIPPING = { id: 'legacy', name: 'Legacy shop', amount: 0 };

/**
 * Historical orders from the legacy shop (admin only, for `npm run legacy:import`): written once,
 * keyed by their legacy number, already settled; they reserve no stock, take no payment and
 * publish no event (what they did happened in the legacy shop).
 */
@Injectable()
export class LegacyOrderImportService {
  constructor(private readonly orders: LegacyOrderImportRepository) {}

  async import(ctx: CallContext, input: LegacyOrderDto): Promise<LegacyOrderImportedDto> {
    const sum = input.lines.reduce((total, line) => total + line.unitPrice * line.quantity, 0);
    if (sum !== input.total) throw new LegacyOrderTotalMismatchError(input.number, input.total, sum);
    const existing = await this.orders.findIdByNumber(input.number);
    if (existing) return { id: existing.id, number: input.number, created: false };
    const id = randomUUID();
    const order = {
      id,
      number: input.number,
      status: input.status,
      checkoutKey: null,
      cartId: randomUUID(),
      customerId: input.customerId ?? null,
      email: input.email.toLowerCase(),
      currency: input.currency,
      taxIncluded: true,
      subtotal: sum,
      discount: 0,
      shipping: 0,
      tax: 0,
      total: sum,
      shippingAddress: NO_ADDRESS,
      billingAddress: NO_ADDRESS,
      shippingMethod: NO_SHIPPING,
      reservationId: null,
      settledAt: new Date(),
      placedAt: input.placedAt,
      updatedAt: input.placedAt,
    };
    const lines = input.lines.map((line, index) => ({
      orderId: id,
      position: index + 1,
      sku: line.sku,
      productId: line.productId,
      productName: line.productName,
      options: {},
      quantity: line.quantity,
      unitPrice: line.unitPrice,
      subtotal: line.unitPrice * line.quantity,
      discount: 0,
      tax: 0,
      total: line.unitPrice * line.quantity,
    }));
    const created = await this.orders.insert(order, lines, `imported from the legacy shop by ${ctx.userId ?? 'system'}`);
    if (created) return { id, number: input.number, created: true };
    return { id: (await this.orders.findIdByNumber(input.number))!.id, number: input.number, created: false };
  }
}
