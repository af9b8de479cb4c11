import type { CatalogApi, InventoryApi, PriceCartInput, PricedCart, PricingApi, SellableVariant } from '#contracts';

// Stand-ins for the contexts a cart talks to, for specs without them: prices and stock the test sets.

export const sellableVariant = (sku: string, amount: number, extra: Partial<SellableVariant> = {}): SellableVariant => ({
  sku, options: {}, price: { amount, currency: 'EUR' }, compareAtPrice: null, weightGrams: null, barcode: null, inStock: true,
  productId: '00000000-0000-4000-8000-000000000001', productSlug: sku.toLowerCase(), productName: `Product ${sku}`, purchasable: true,
  brandId: null, categoryIds: [], ...extra,
});

export class FakeCatalog implements Pick<CatalogApi, 'getVariants'> {
  readonly variants = new Map<string, SellableVariant>();
  calls = 0;

  add(...variants: SellableVariant[]) {
    for (const v of variants) this.variants.set(v.sku, v);
    return this;
  }

  async getVariants(_ctx: unknown, skus: string[]) {
    this.calls += 1;
    return skus.flatMap((sku) => (this.variants.has(sku) ? [this.variants.get(sku)!] : []));
  }
}

export class FakeInventory implements Pick<InventoryApi, 'availability'> {
  readonly stock = new Map<string, number>();

  async availability(_ctx: unknown, skus: string[]) {
    return skus.map((sku) => ({ sku, available: this.stock.get(sku) ?? 0 }));
  }
}

/** 10 % off the order with SAVE10; every other code is unknown. Shipping as given, no tax. */
export class FakePricing implements Pick<PricingApi, 'priceCart' | 'checkCoupon'> {
  async priceCart(_ctx: unknown, input: PriceCartInput): Promise<PricedCart> {
    const lines = input.lines.map((l) => ({ lineId: l.lineId, sku: l.sku, quantity: l.quantity, unitPrice: l.unitPrice, subtotal: l.unitPrice * l.quantity, discount: 0, tax: 0, taxRate: null, total: l.unitPrice * l.quantity }));
    const subtotal = lines.reduce((sum, l) => sum + l.subtotal, 0);
    const save = input.couponCodes.some((c) => c.toUpperCase() === 'SAVE10');
    const discount = save ? Math.round(subtotal / 10) : 0;
    const shipping = input.shipping?.amount ?? 0;
    return {
      currency: input.currency, taxIncluded: false, lines, shipping,
      discounts: save ? [{ promotionId: '00000000-0000-4000-8000-00000000000a', code: 'SAVE10', name: '10 % off', kind: 'order_percentage', amount: discount }] : [],
      coupons: input.couponCodes.map((code) => (code.toUpperCase() === 'SAVE10' ? { code, applied: true } : { code, applied: false, reason: 'unknown' })),
      totals: { subtotal, discount, shipping, tax: 0, total: subtotal - discount + shipping },
    };
  }

  async checkCoupon(_ctx: unknown, code: string) {
    return code.toUpperCase() === 'SAVE10' ? { code, applied: true } : { code, applied: false, reason: 'unknown' as const };
  }
}
