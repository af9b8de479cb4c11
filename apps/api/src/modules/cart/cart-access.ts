import { createHash, randomBytes } from 'node:crypto';
import type { CallContext } from '#contracts';
import type { CartState } from './cart.model.js';

/** An opaque guest token (192 random bits); only its hash is stored. */
export const newCartToken = () => randomBytes(24).toString('base64url');

export const hashCartToken = (token: string) => createHash('sha256').update(token).digest('hex');

/**
 * The cart's customer, or whoever holds a guest cart's token (and jobs acting as 'system', which
 * carry neither). Anyone else is told the cart does not exist.
 */
export function canSee(ctx: CallContext, cart: CartState): boolean {
  if (ctx.roles.includes('system')) return true;
  if (cart.customerId !== null && cart.customerId === ctx.userId) return true;
  return cart.tokenHash !== null && ctx.cartToken !== null && hashCartToken(ctx.cartToken) === cart.tokenHash;
}
