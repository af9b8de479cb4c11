import { Injectable } from '@nestjs/common';

/**
 * Orders whose checkout is waiting on the payment in this process right now. The payment's own
 * events arrive while checkout is still settling the order; their listeners leave such an order to
 * checkout instead of repeating the same commit and cart conversion. Process-local on purpose: an
 * event handled elsewhere, or after a crash, settles as usual (the settle is idempotent), and an
 * order a crash left pending is settled by the expiry sweep.
 */
@Injectable()
export class PaymentsInFlight {
  private readonly orders = new Set<string>();

  async around<T>(orderId: string, work: () => Promise<T>): Promise<T> {
    this.orders.add(orderId);
    try {
      return await work();
    } finally {
      this.orders.delete(orderId);
    }
  }

  has(orderId: string): boolean {
    return this.orders.has(orderId);
  }
}
