import type { Address, PriceCartInput, SellableVariant, ShippingMethodView } from '#contracts';
import { CartOutOfStockError, CurrencyMismatchError, LineQuantityError, SkuNotFoundError, SkuNotPurchasableError } from './cart.errors.js';
import type { CartState, StoredLine } from './cart.model.js';

// The cart's rules without I/O: what a change does to the lines, given what catalog and inventory said.

export type Variants = Map<string, SellableVariant>;

/** The variant a line may be added at, or the reason it may not. */
export function sellable(variants: Variants, sku: string, currency: string): SellableVariant {
  const variant = variants.get(sku);
  if (!variant) throw new SkuNotFoundError(sku);
  if (!variant.purchasable) throw new SkuNotPurchasableError([sku]);
  if (variant.price.currency !== currency) throw new CurrencyMismatchError(sku, variant.price.currency, currency);
  return variant;
}

export function checkQuantity(sku: string, quantity: number, max: number): void {
  if (!Number.isInteger(quantity) || quantity < 1 || quantity > max) throw new LineQuantityError(sku, quantity, max);
}

export function checkStock(sku: string, quantity: number, available: number): void {
  if (quantity > available) throw new CartOutOfStockError(sku, quantity, available);
}

export function lineFor(variant: SellableVariant, id: string, quantity: number): StoredLine {
  return {
    id,
    sku: variant.sku,
    productId: variant.productId,
    productName: variant.productName,
    options: variant.options,
    quantity,
    unitPrice: variant.price.amount,
    previousUnitPrice: null,
  };
}

/** Adds to the SKU's line, or appends one. */
export function addUnits(lines: StoredLine[], variant: SellableVariant, quantity: number, newId: () => string): StoredLine[] {
  const existing = lines.find((l) => l.sku === variant.sku);
  if (!existing) return [...lines, lineFor(variant, newId(), quantity)];
  return lines.map((l) => (l === existing ? { ...l, quantity: l.quantity + quantity } : l));
}

/**
 * Takes the catalog's current prices and names. A changed price keeps what was shown in
 * `previousUnitPrice`; an unchanged one clears it. Lines whose SKU the catalog no longer sells keep
 * their last price (checkout refuses them).
 */
export function reprice(lines: StoredLine[], variants: Variants): { lines: StoredLine[]; changed: boolean } {
  let changed = false;
  const next = lines.map((line) => {
    const variant = variants.get(line.sku);
    if (!variant) return line;
    const price = variant.price.amount;
    if (price !== line.unitPrice) changed = true;
    return { ...line, productName: variant.productName, options: variant.options, unitPrice: price, previousUnitPrice: price !== line.unitPrice ? line.unitPrice : null };
  });
  return { lines: next, changed };
}

/** SKUs of lines checkout must refuse: gone from the catalog, no longer purchasable, or priced in another currency. */
export function unsellableSkus(lines: StoredLine[], variants: Variants, currency: string): string[] {
  return lines
    .filter((l) => {
      const variant = variants.get(l.sku);
      return !variant || !variant.purchasable || variant.price.currency !== currency;
    })
    .map((l) => l.sku);
}

export interface MergeLimits {
  /** Available units per SKU of the incoming lines. */
  available: Map<string, number>;
  maxPerLine: number;
  variants: Variants;
  currency: string;
}

/**
 * A guest cart's lines into a customer's: same SKU adds up, capped by stock and the per-line maximum,
 * but never below what the customer's line already held. Lines that cannot be sold in this cart
 * (unknown, not purchasable, another currency, nothing in stock) stay behind.
 */
export function mergeLines(target: StoredLine[], incoming: StoredLine[], limits: MergeLimits, newId: () => string): StoredLine[] {
  const merged = [...target];
  for (const line of incoming) {
    const variant = limits.variants.get(line.sku);
    if (!variant || !variant.purchasable || variant.price.currency !== limits.currency) continue;
    const index = merged.findIndex((l) => l.sku === line.sku);
    const held = index >= 0 ? merged[index]!.quantity : 0;
    const cap = Math.min(limits.maxPerLine, limits.available.get(line.sku) ?? 0);
    const quantity = Math.max(held, Math.min(held + line.quantity, cap));
    if (quantity === held) continue;
    if (index >= 0) merged[index] = { ...merged[index]!, quantity };
    else merged.push({ ...line, id: newId(), quantity, previousUnitPrice: null });
  }
  return merged;
}

/** The contract's Address without the nulls a DTO uses for "none". */
export function compactAddress(address: Address | { [K in keyof Address]?: Address[K] | null }): Address {
  return Object.fromEntries(Object.entries(address).filter(([, v]) => v !== null && v !== undefined)) as unknown as Address;
}

const sameCode = (a: string, b: string) => a.toUpperCase() === b.toUpperCase();

export const hasCoupon = (codes: string[], code: string) => codes.some((c) => sameCode(c, code));

/** Codes of both, each once (pricing matches codes case-insensitively). */
export const unionCoupons = (codes: string[], more: string[]) => more.reduce((all, code) => (hasCoupon(all, code) ? all : [...all, code]), codes);

export const withoutCoupon = (codes: string[], code: string) => codes.filter((c) => !sameCode(c, code));

/** `standard:499,express:1299` (SHIPPING_FLAT_RATES) as methods; the first is the default. */
export function parseShippingRates(spec: string): ShippingMethodView[] {
  return spec.split(',').map((pair) => {
    const [id = '', amount = '0'] = pair.trim().split(':');
    return { id, name: id.charAt(0).toUpperCase() + id.slice(1).replace(/[-_]/g, ' '), amount: Number(amount) };
  });
}

/** What pricing needs for the cart as it stands. */
export function priceInput(cart: CartState, variants: Variants, rates: ShippingMethodView[]): PriceCartInput {
  const method = rates.find((r) => r.id === cart.shippingMethodId);
  const address = cart.shippingAddress;
  return {
    currency: cart.currency,
    lines: cart.lines.map((l) => {
      const variant = variants.get(l.sku);
      return { lineId: l.id, sku: l.sku, productId: l.productId, quantity: l.quantity, unitPrice: l.unitPrice, categoryIds: variant?.categoryIds ?? [], brandId: variant?.brandId ?? null };
    }),
    couponCodes: cart.couponCodes,
    customerId: cart.customerId,
    shipping: method ? { methodId: method.id, amount: method.amount } : null,
    destination: address ? { countryCode: address.countryCode, ...(address.region ? { region: address.region } : {}) } : null,
  };
}
