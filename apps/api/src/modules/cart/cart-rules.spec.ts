import type { SellableVariant } from '#contracts';
import { addUnits, checkQuantity, checkStock, compactAddress, hasCoupon, mergeLines, parseShippingRates, reprice, sellable, unionCoupons, unsellableSkus, withoutCoupon } from './cart-rules.js';
import type { StoredLine } from './cart.model.js';

const variant = (sku: string, amount: number, extra: Partial<SellableVariant> = {}): SellableVariant => ({
  sku, options: {}, price: { amount, currency: 'EUR' }, compareAtPrice: null, weightGrams: null, barcode: null, inStock: true,
  productId: `p-${sku}`, productSlug: sku.toLowerCase(), productName: `Product ${sku}`, purchasable: true, brandId: null, categoryIds: [], ...extra,
});
const line = (sku: string, quantity: number, unitPrice = 1000, id = `line-${sku}`): StoredLine => ({
  id, sku, productId: `p-${sku}`, productName: `Product ${sku}`, options: {}, quantity, unitPrice, previousUnitPrice: null,
});
const variants = (...list: SellableVariant[]) => new Map(list.map((v) => [v.sku, v]));
let ids = 0;
const newId = () => `new-${++ids}`;

describe('cart rules', () => {
  describe('sellable', () => {
    it('names an unknown SKU, an unpurchasable product and another currency', () => {
      const known = variants(variant('A', 100), variant('OFF', 100, { purchasable: false }), variant('USD', 100, { price: { amount: 100, currency: 'USD' } }));
      expect(sellable(known, 'A', 'EUR').sku).toBe('A');
      expect(() => sellable(known, 'NOPE', 'EUR')).toThrow(expect.objectContaining({ code: 'CART.SKU_NOT_FOUND', kind: 'not_found' }));
      expect(() => sellable(known, 'OFF', 'EUR')).toThrow(expect.objectContaining({ code: 'CART.NOT_PURCHASABLE', kind: 'unprocessable' }));
      expect(() => sellable(known, 'USD', 'EUR')).toThrow(expect.objectContaining({ code: 'CART.CURRENCY_MISMATCH', kind: 'unprocessable' }));
    });
  });

  it('accepts 1 to the per-line maximum and refuses the rest as bad requests', () => {
    expect(() => checkQuantity('A', 1, 20)).not.toThrow();
    expect(() => checkQuantity('A', 20, 20)).not.toThrow();
    for (const bad of [0, -1, 21, 1.5]) expect(() => checkQuantity('A', bad, 20)).toThrow(expect.objectContaining({ code: 'CART.QUANTITY_INVALID', kind: 'bad_request' }));
  });

  it('refuses more units than are available as a conflict naming both numbers', () => {
    expect(() => checkStock('A', 5, 5)).not.toThrow();
    expect(() => checkStock('A', 6, 5)).toThrow(expect.objectContaining({ code: 'CART.OUT_OF_STOCK', kind: 'conflict', extensions: { sku: 'A', requested: 6, available: 5 } }));
  });

  it('adds units of a SKU already in the cart to its line, else appends a line at the current price', () => {
    const lines = addUnits([line('A', 2)], variant('A', 1000), 3, newId);
    expect(lines).toEqual([expect.objectContaining({ id: 'line-A', quantity: 5 })]);
    const more = addUnits(lines, variant('B', 250, { options: { size: 'M' } }), 1, () => 'b-line');
    expect(more[1]).toEqual({ id: 'b-line', sku: 'B', productId: 'p-B', productName: 'Product B', options: { size: 'M' }, quantity: 1, unitPrice: 250, previousUnitPrice: null });
  });

  describe('reprice', () => {
    it('takes the new price and keeps the one shown before, so the shopper sees the change', () => {
      const { lines, changed } = reprice([line('A', 1, 1000), line('B', 1, 500)], variants(variant('A', 1200), variant('B', 500)));
      expect(changed).toBe(true);
      expect(lines.map((l) => [l.sku, l.unitPrice, l.previousUnitPrice])).toEqual([['A', 1200, 1000], ['B', 500, null]]);
    });

    it('clears the previous price once a re-read finds no change', () => {
      const shown = { ...line('A', 1, 1200), previousUnitPrice: 1000 };
      expect(reprice([shown], variants(variant('A', 1200)))).toEqual({ lines: [expect.objectContaining({ unitPrice: 1200, previousUnitPrice: null })], changed: false });
    });

    it('keeps a line the catalog no longer sells as it was; checkout refuses it', () => {
      const gone = line('GONE', 1, 700);
      expect(reprice([gone], new Map()).lines).toEqual([gone]);
      expect(unsellableSkus([gone, line('A', 1), line('OFF', 1)], variants(variant('A', 1000), variant('OFF', 1, { purchasable: false })), 'EUR')).toEqual(['GONE', 'OFF']);
    });
  });

  describe('merging a guest cart into a customer cart', () => {
    const limits = (available: Record<string, number>, extra: SellableVariant[] = []) => ({
      available: new Map(Object.entries(available)),
      maxPerLine: 20,
      variants: variants(variant('A', 1000), variant('B', 500), variant('C', 300), ...extra),
      currency: 'EUR',
    });

    it('adds quantities of the same SKU and appends the others with new line ids', () => {
      const merged = mergeLines([line('A', 2)], [line('A', 3, 1000, 'g1'), line('B', 1, 500, 'g2')], limits({ A: 50, B: 50 }), () => 'fresh');
      expect(merged.map((l) => [l.id, l.sku, l.quantity])).toEqual([['line-A', 'A', 5], ['fresh', 'B', 1]]);
    });

    it('caps the sum at the available stock', () => {
      expect(mergeLines([line('A', 2)], [line('A', 5)], limits({ A: 4 }), newId)[0]!.quantity).toBe(4);
      expect(mergeLines([], [line('B', 5)], limits({ B: 3 }), newId)[0]!.quantity).toBe(3);
    });

    it('caps the sum at the per-line maximum', () => {
      expect(mergeLines([line('A', 15)], [line('A', 10)], limits({ A: 100 }), newId)[0]!.quantity).toBe(20);
    });

    it("never lowers what the customer's line already held, even when stock dropped below it", () => {
      expect(mergeLines([line('A', 6)], [line('A', 2)], limits({ A: 3 }), newId)[0]!.quantity).toBe(6);
    });

    it('leaves behind lines with nothing in stock, unknown or unpurchasable SKUs and other currencies', () => {
      const extra = [variant('OFF', 100, { purchasable: false }), variant('USD', 100, { price: { amount: 100, currency: 'USD' } })];
      const merged = mergeLines([line('A', 1)], [line('C', 2), line('GONE', 1), line('OFF', 1), line('USD', 1)], limits({ C: 0, GONE: 9, OFF: 9, USD: 9 }, extra), newId);
      expect(merged.map((l) => l.sku)).toEqual(['A']);
    });
  });

  it('keeps each coupon code once, case-insensitively', () => {
    expect(unionCoupons(['SAVE10'], ['save10', 'SHIP'])).toEqual(['SAVE10', 'SHIP']);
    expect(hasCoupon(['SAVE10'], 'Save10')).toBe(true);
    expect(withoutCoupon(['SAVE10', 'SHIP'], 'save10')).toEqual(['SHIP']);
  });

  it('reads flat shipping rates from SHIPPING_FLAT_RATES', () => {
    expect(parseShippingRates('standard:499,express:1299,next-day:2500')).toEqual([
      { id: 'standard', name: 'Standard', amount: 499 },
      { id: 'express', name: 'Express', amount: 1299 },
      { id: 'next-day', name: 'Next day', amount: 2500 },
    ]);
  });

  it('drops the nulls a DTO uses for "none" from an address', () => {
    expect(compactAddress({ firstName: 'Ada', lastName: 'L', line1: 'x', city: 'B', postalCode: '1', countryCode: 'DE', company: null, phone: undefined })).toEqual({
      firstName: 'Ada', lastName: 'L', line1: 'x', city: 'B', postalCode: '1', countryCode: 'DE',
    });
  });
});
