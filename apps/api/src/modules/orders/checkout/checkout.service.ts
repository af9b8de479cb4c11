import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  type Address, CART_API, type CallContext, type CartApi, type CheckoutCart, IDENTITY_API, type IdentityApi, INVENTORY_API, type InventoryApi,
  type OrderView, PRICING_API, type PricingApi,
} from '#contracts';
import { type AddressDto, DomainError } from '#platform';
import type { Order, OrderLine } from '../order.entity.js';
import { toOrderView } from '../order.view.js';
import { CartHasOrderError, CheckoutIncompleteError, CheckoutOrderCancelledError, CheckoutPaymentDeclinedError, PricesChangedError } from '../orders.errors.js';
import { type NewOrder, type NewOrderLine, OrdersRepository } from '../orders.repository.js';
import { checkoutKeyOf, orderIdOf } from './checkout-key.js';
import { CheckoutPayment } from './checkout-payment.js';
import type { CheckoutDto } from './checkout.dto.js';

export interface CheckoutAnswer {
  status: 201 | 202;
  body: { order: OrderView };
}

const codeOf = (error: unknown) => (error instanceof DomainError ? error.code : undefined);

/**
 * POST /checkout: cart -> reservation -> redemptions -> order (pending_payment) -> payment. Each
 * step is completed or compensated; a retry with the same Idempotency-Key finds its order by the
 * checkout key and carries on from its status instead of starting again.
 */
@Injectable()
export class CheckoutService {
  private readonly logger = new Logger('CheckoutService');

  constructor(
    private readonly orders: OrdersRepository,
    private readonly payment: CheckoutPayment,
    @Inject(CART_API) private readonly cart: CartApi,
    @Inject(INVENTORY_API) private readonly inventory: InventoryApi,
    @Inject(PRICING_API) private readonly pricing: PricingApi,
    @Inject(IDENTITY_API) private readonly identity: IdentityApi,
  ) {}

  async checkout(ctx: CallContext, idempotencyKey: string, dto: CheckoutDto): Promise<CheckoutAnswer> {
    const checkoutKey = checkoutKeyOf(ctx, idempotencyKey);
    const existing = await this.orders.findByCheckoutKey(checkoutKey);
    if (existing) return this.resume(ctx, existing, dto);

    const [cart, email] = await Promise.all([this.prepared(ctx, dto), this.emailOf(ctx, dto)]);
    if (!email) throw new CheckoutIncompleteError(['email']);
    const orderId = orderIdOf(checkoutKey);
    const reservation = await this.inventory.reserve(ctx, { reference: orderId, lines: cart.lines.map(({ sku, quantity }) => ({ sku, quantity })) });
    const promotionIds = [...new Set(cart.discounts.map((d) => d.promotionId))];
    let created;
    try {
      if (promotionIds.length) await this.pricing.redeem(ctx, { reference: orderId, customerId: ctx.userId, email, promotionIds });
      const order = { id: orderId, checkoutKey, customerId: ctx.userId, email, promotionIds, reservationId: reservation.id };
      created = await this.orders.create(orderOf(cart, dto, order), snapshotOf(cart), ctx.userId ?? 'guest');
    } catch (error) {
      await this.compensate(ctx, reservation.id, orderId, promotionIds.length > 0);
      throw error;
    }
    // A concurrent request with this key saved the order first; both hold the same reservation (same reference).
    if ('duplicate' in created) return this.resume(ctx, (await this.orders.findByCheckoutKey(checkoutKey))!, dto);
    if ('cartTaken' in created) {
      await this.compensate(ctx, reservation.id, orderId, promotionIds.length > 0);
      throw new CartHasOrderError(created.cartTaken.id, created.cartTaken.status);
    }
    return this.paid(ctx, created.created.order, dto, created.created.lines);
  }

  private async resume(ctx: CallContext, order: Order, dto: CheckoutDto): Promise<CheckoutAnswer> {
    if (order.status === 'pending_payment') return this.paid(ctx, order, dto);
    if (order.status === 'cancelled') {
      const reason = (await this.orders.transitionsOf(order.id)).at(-1)?.reason ?? null;
      if (reason === 'payment_declined') throw new CheckoutPaymentDeclinedError(order.id, 'declined');
      throw new CheckoutOrderCancelledError(order.id, reason);
    }
    return { status: 201, body: { order: toOrderView(await this.orders.withLines(await this.payment.finish(ctx, order))) } };
  }

  /** `lines` when just saved, which spares reading them back. */
  private async paid(ctx: CallContext, order: Order, dto: CheckoutDto, lines?: OrderLine[]): Promise<CheckoutAnswer> {
    const outcome = await this.payment.pay(ctx, order, dto.payment.token);
    const withLines = lines ? { order: outcome.order, lines } : await this.orders.withLines(outcome.order);
    return { status: outcome.status, body: { order: toOrderView(withLines) } };
  }

  /** The cart re-priced now; an incomplete cart names everything missing, the email included. */
  private async prepared(ctx: CallContext, dto: CheckoutDto): Promise<CheckoutCart> {
    let cart: CheckoutCart;
    try {
      cart = await this.cart.prepareCheckout(ctx, {
        cartId: dto.cartId,
        shippingAddress: dto.shippingAddress && addressOf(dto.shippingAddress),
        shippingMethodId: dto.shippingMethodId,
        ...(!ctx.userId && dto.email ? { email: dto.email } : {}),
      });
    } catch (error) {
      if (codeOf(error) !== 'CART.INCOMPLETE') throw error;
      const missing = ((error as DomainError).extensions.missing as string[] | undefined) ?? [];
      throw new CheckoutIncompleteError([...missing, ...(!dto.email && !ctx.userId ? ['email'] : [])]);
    }
    if (!cart.lines.length) throw new CheckoutIncompleteError(['lines']);
    if (!cart.shippingAddress) throw new CheckoutIncompleteError(['shippingAddress']);
    if (cart.pricesChanged) {
      throw new PricesChangedError(cart.totals, cart.lines.map(({ sku, unitPrice, previousUnitPrice }) => ({ sku, unitPrice, previousUnitPrice })));
    }
    return cart;
  }

  /** A customer's defaults to the account's (identity holds the sign-in email every customer has). */
  private async emailOf(ctx: CallContext, dto: CheckoutDto): Promise<string | null> {
    if (dto.email) return dto.email;
    if (!ctx.userId) return null;
    return (await this.identity.getAccount(ctx, ctx.userId)).email.toLowerCase();
  }

  /** Best effort: the original error is what the caller must see; a reservation left behind expires on its own. */
  private async compensate(ctx: CallContext, reservationId: string, orderId: string, redeemed: boolean): Promise<void> {
    try {
      await this.inventory.release(ctx, reservationId, 'checkout_failed');
      if (redeemed) await this.pricing.releaseRedemptions(ctx, orderId);
    } catch (error) {
      this.logger.error({ err: error, orderId }, 'checkout compensation failed');
    }
  }
}

/** The DTO's nulls (allowed for optional fields) are the contract's absent fields. */
function addressOf(dto: AddressDto): Address {
  return Object.fromEntries(Object.entries(dto).filter(([, v]) => v !== null && v !== undefined)) as unknown as Address;
}

type OrderFacts = Pick<NewOrder, 'id' | 'checkoutKey' | 'customerId' | 'email' | 'promotionIds' | 'reservationId'>;

/** The order as the re-priced cart and the checkout request describe it. */
function orderOf(cart: CheckoutCart, dto: CheckoutDto, facts: OrderFacts): NewOrder {
  return {
    ...facts, cartId: cart.id, currency: cart.currency, taxIncluded: cart.taxIncluded, ...cart.totals,
    shippingAddress: cart.shippingAddress!, billingAddress: dto.billingAddress ? addressOf(dto.billingAddress) : cart.shippingAddress!,
    shippingMethod: cart.shippingMethod ?? { id: 'default', name: 'Standard shipping', amount: cart.totals.shipping },
  };
}

function snapshotOf(cart: CheckoutCart): NewOrderLine[] {
  return cart.lines.map((l, position) => ({
    position, sku: l.sku, productId: l.productId, productName: l.productName, options: l.options ?? {}, quantity: l.quantity,
    unitPrice: l.unitPrice, subtotal: l.subtotal, discount: l.discount, tax: l.tax, total: l.total,
  }));
}
