import { createHash } from 'node:crypto';
import type { CallContext } from '#contracts';

/** The idempotency layer's scope: a key is its caller's own (the account, else the guest's cart token, else the address). */
const scopeOf = (ctx: CallContext) => (ctx.userId ? `user:${ctx.userId}` : ctx.cartToken ? `cart:${ctx.cartToken}` : `ip:${ctx.clientIp ?? ''}`);

/** What a retried checkout finds its order by. */
export const checkoutKeyOf = (ctx: CallContext, idempotencyKey: string): string =>
  createHash('sha256').update(`${scopeOf(ctx)}\n${idempotencyKey}`).digest('hex');

/**
 * The order id a checkout key stands for, decided before anything is reserved: a retry after a crash
 * between reserving and saving the order finds its reservation (same reference) and redemptions again.
 */
export function orderIdOf(checkoutKey: string): string {
  const bytes = createHash('sha256').update(`order-id\n${checkoutKey}`).digest().subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
