import { randomUUID } from 'node:crypto';
import type { INestApplicationContext } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CATALOG_API, type CallContext, INVENTORY_API, PRICING_API } from '#contracts';
import { createTestDatabase, startBackendContext, type TestDatabase } from '#testing';
import { CartCheckoutService } from './cart-checkout.service.js';
import { CartSessionsService } from './cart-sessions.service.js';
import { CartWriter } from './cart-writer.js';
import { CartRow } from './cart.entity.js';
import { FakeCatalog, FakeInventory, FakePricing, sellableVariant } from './cart.fakes.js';
import { EMPTY_PRICING } from './cart.model.js';
import { CartService } from './cart.service.js';
import { CartsRepository } from './carts.repository.js';
import { ShippingRates } from './shipping-rates.js';

const customer = (userId = randomUUID()): CallContext => ({ userId, roles: ['customer'], cartToken: null, requestId: 'cart-int-spec' });
const guest = (cartToken: string | null): CallContext => ({ userId: null, roles: [], cartToken, requestId: 'cart-int-spec' });
const address = { firstName: 'Ada', lastName: 'Lovelace', line1: 'Unter den Linden 1', city: 'Berlin', postalCode: '10117', countryCode: 'DE' };

describe('carts (real PostgreSQL; catalog, inventory and pricing faked)', () => {
  let db: TestDatabase;
  let app: INestApplicationContext;
  let repo: CartsRepository;
  let carts: CartService;
  let sessions: CartSessionsService;
  let checkout: CartCheckoutService;
  const catalog = new FakeCatalog().add(sellableVariant('MUG', 1200), sellableVariant('CUP', 500), sellableVariant('PLATE', 800));
  const inventory = new FakeInventory();
  const pricing = new FakePricing();

  beforeAll(async () => {
    db = await createTestDatabase();
    app = await startBackendContext(db, {
      imports: [TypeOrmModule.forFeature([CartRow])],
      providers: [
        CartsRepository, ShippingRates, CartWriter, CartService, CartSessionsService, CartCheckoutService,
        { provide: CATALOG_API, useValue: catalog },
        { provide: INVENTORY_API, useValue: inventory },
        { provide: PRICING_API, useValue: pricing },
      ],
    });
    repo = app.get(CartsRepository);
    carts = app.get(CartService);
    sessions = app.get(CartSessionsService);
    checkout = app.get(CartCheckoutService);
    for (const sku of ['MUG', 'CUP', 'PLATE']) inventory.stock.set(sku, 100);
  });
  afterAll(async () => {
    await app.close();
    await db.drop();
  });

  const newCart = async (customerId: string | null = null) =>
    (await repo.insert({ id: randomUUID(), customerId, tokenHash: customerId ? null : randomUUID().replace(/-/g, '').padEnd(64, '0'), currency: 'EUR', pricing: EMPTY_PRICING }))!;

  describe('CartsRepository', () => {
    it('stores a cart as one row and reads it back whole', async () => {
      const cart = await newCart();
      const saved = await repo.save({ ...cart, lines: [{ id: randomUUID(), sku: 'MUG', productId: randomUUID(), productName: 'Mug', options: { color: 'blue' }, quantity: 2, unitPrice: 1200, previousUnitPrice: null }], couponCodes: ['SAVE10'], shippingAddress: address, shippingMethodId: 'standard' });
      expect(saved).toMatchObject({ version: 2, couponCodes: ['SAVE10'], shippingAddress: address, shippingMethodId: 'standard', lines: [{ sku: 'MUG', options: { color: 'blue' }, quantity: 2 }] });
      expect(await repo.find(cart.id)).toEqual(saved);
    });

    it('writes nothing for a change computed from an older version', async () => {
      const cart = await newCart();
      expect(await repo.save({ ...cart, couponCodes: ['A'] })).not.toBeNull();
      expect(await repo.save({ ...cart, couponCodes: ['B'] })).toBeNull();
      expect((await repo.find(cart.id))!.couponCodes).toEqual(['A']);
    });

    it('keeps one open cart per customer', async () => {
      const customerId = randomUUID();
      const first = await newCart(customerId);
      expect(await repo.insert({ id: randomUUID(), customerId, tokenHash: null, currency: 'EUR', pricing: EMPTY_PRICING })).toBeNull();
      expect((await repo.findOpenByCustomer(customerId))!.id).toBe(first.id);
    });

    it('merges both carts or neither', async () => {
      const target = await newCart(randomUUID());
      const stale = await newCart();
      await repo.save({ ...stale, couponCodes: ['MOVED-ON'] });
      expect(await repo.saveMerge({ ...target, couponCodes: ['X'] }, stale)).toBeNull();
      expect(await repo.find(target.id)).toMatchObject({ version: 1, couponCodes: [] });
      expect(await repo.find(stale.id)).toMatchObject({ status: 'open' });
    });

    it('converts an open cart for one order only', async () => {
      const cart = await newCart();
      const orderId = randomUUID();
      expect(await repo.markConverted(cart.id, orderId)).toMatchObject({ status: 'converted', orderId });
      expect(await repo.markConverted(cart.id, randomUUID())).toMatchObject({ status: 'converted', orderId });
      expect(await repo.save({ ...cart, version: 2 })).toBeNull();
    });
  });

  describe('changes through CartWriter', () => {
    it('loses no line when many items are added to one cart at once', async () => {
      const opened = await sessions.open(guest(null), {});
      const ctx = guest(opened.token);
      const skus = ['MUG', 'CUP', 'PLATE'];
      await Promise.all(Array.from({ length: 12 }, (_, i) => carts.addItem(ctx, opened.id, { sku: skus[i % 3]!, quantity: 1 })));
      const cart = await carts.get(ctx, opened.id);
      expect(cart.lines.map((l) => [l.sku, l.quantity]).sort()).toEqual([['CUP', 4], ['MUG', 4], ['PLATE', 4]]);
      expect(cart.version).toBe(13);
      expect(cart.totals.subtotal).toBe(4 * (1200 + 500 + 800));
    });

    it('loses no line when two processes change one cart at once (the version check, not the in-process queue)', async () => {
      const opened = await sessions.open(guest(null), {});
      const ctx = guest(opened.token);
      // Two writers, like two API processes: each has its own queue, so only the database orders them.
      const writers = [0, 1].map(() => new CartWriter(repo, app.get(ShippingRates), catalog as never, pricing as never));
      await Promise.all(Array.from({ length: 6 }, (_, i) =>
        writers[i % 2]!.change(ctx, opened.id, ['CUP'], (cart) => ({ ...cart, couponCodes: [...cart.couponCodes, `C${i}`] }))));
      expect((await repo.find(opened.id))!.couponCodes.sort()).toEqual(['C0', 'C1', 'C2', 'C3', 'C4', 'C5']);
    });

    it('shows a price change as previousUnitPrice on the next change, and clears it on the one after', async () => {
      const ctx = customer();
      const opened = await sessions.open(ctx, {});
      await carts.addItem(ctx, opened.id, { sku: 'PLATE', quantity: 1 });
      catalog.add(sellableVariant('PLATE', 900));
      const changed = await carts.addItem(ctx, opened.id, { sku: 'CUP', quantity: 1 });
      expect(changed.lines.find((l) => l.sku === 'PLATE')).toMatchObject({ unitPrice: 900, previousUnitPrice: 800, subtotal: 900 });
      expect((await carts.get(ctx, opened.id)).lines[0]).toMatchObject({ previousUnitPrice: 800 });
      const next = await carts.setShippingMethod(ctx, opened.id, 'express');
      expect(next.lines[0]).toMatchObject({ unitPrice: 900, previousUnitPrice: null });
      expect(next.totals).toEqual({ subtotal: 1400, discount: 0, shipping: 1299, tax: 0, total: 2699 });
      catalog.add(sellableVariant('PLATE', 800));
    });

    it('checks a coupon with pricing before keeping it', async () => {
      const ctx = customer();
      const opened = await sessions.open(ctx, {});
      await carts.addItem(ctx, opened.id, { sku: 'MUG', quantity: 1 });
      await expect(carts.addCoupon(ctx, opened.id, 'NOPE')).rejects.toMatchObject({ code: 'CART.COUPON_REJECTED', extensions: { reason: 'unknown' } });
      const cart = await carts.addCoupon(ctx, opened.id, 'save10');
      expect(cart).toMatchObject({ coupons: [{ code: 'save10', applied: true }], totals: { subtotal: 1200, discount: 120, total: 1080 } });
      expect((await carts.addCoupon(ctx, opened.id, 'SAVE10')).coupons).toHaveLength(1);
      expect((await carts.removeCoupon(ctx, opened.id, 'SAVE10')).totals).toMatchObject({ discount: 0, total: 1200 });
    });

    it("hides a cart from whoever is not its customer or token holder", async () => {
      const opened = await sessions.open(guest(null), {});
      for (const ctx of [guest(null), guest('wrong-token'), customer()]) {
        await expect(carts.get(ctx, opened.id)).rejects.toMatchObject({ code: 'CART.NOT_FOUND' });
      }
      const own = await sessions.open(customer(), {});
      await expect(carts.get(guest(opened.token), own.id)).rejects.toMatchObject({ code: 'CART.NOT_FOUND' });
    });
  });

  describe('login merge', () => {
    it("brings the guest cart's lines, coupons and address into the customer's cart and closes it", async () => {
      inventory.stock.set('MUG', 5);
      const g = await sessions.open(guest(null), {});
      const gctx = guest(g.token);
      await carts.addItem(gctx, g.id, { sku: 'MUG', quantity: 4 });
      await carts.addItem(gctx, g.id, { sku: 'CUP', quantity: 1 });
      await carts.addCoupon(gctx, g.id, 'SAVE10');
      await carts.setShippingAddress(gctx, g.id, address);
      const me = customer();
      const own = await sessions.open(me, {});
      await carts.addItem(me, own.id, { sku: 'MUG', quantity: 3 });

      const merged = await sessions.open({ ...me, cartToken: g.token }, {});
      expect(merged.id).toBe(own.id);
      expect(merged.token).toBeNull();
      expect(merged.lines.map((l) => [l.sku, l.quantity])).toEqual([['MUG', 5], ['CUP', 1]]);
      expect(merged).toMatchObject({ coupons: [{ code: 'SAVE10', applied: true }], shippingAddress: address });
      expect(await repo.find(g.id)).toMatchObject({ status: 'merged', mergedInto: own.id });
      await expect(carts.addItem(gctx, g.id, { sku: 'CUP', quantity: 1 })).rejects.toMatchObject({ code: 'CART.NOT_OPEN' });
      // Logging in again with the old token merges nothing twice.
      expect((await sessions.open({ ...me, cartToken: g.token }, {})).lines.map((l) => l.quantity)).toEqual([5, 1]);
      inventory.stock.set('MUG', 100);
    });
  });

  describe('checkout', () => {
    it('names what is missing, then hands over the re-priced cart; converting twice with the same order is a no-op', async () => {
      const ctx = customer();
      const opened = await sessions.open(ctx, {});
      await expect(checkout.prepare(ctx, { cartId: opened.id })).rejects.toMatchObject({ code: 'CART.INCOMPLETE', extensions: { missing: ['lines', 'shippingAddress'] } });
      await carts.addItem(ctx, opened.id, { sku: 'CUP', quantity: 2 });
      await expect(checkout.prepare(ctx, { cartId: opened.id })).rejects.toMatchObject({ extensions: { missing: ['shippingAddress'] } });
      catalog.add(sellableVariant('CUP', 550, { categoryIds: ['c1', 'c0'], brandId: 'b1' }));

      const prepared = await checkout.prepare(ctx, { cartId: opened.id, shippingAddress: address });
      expect(prepared).toMatchObject({
        pricesChanged: true, shippingAddress: address, shippingMethod: { id: 'standard', amount: 499 },
        lines: [{ sku: 'CUP', unitPrice: 550, previousUnitPrice: 500, categoryIds: ['c1', 'c0'], brandId: 'b1', taxRate: null }],
        totals: { subtotal: 1100, shipping: 499, total: 1599 },
      });
      expect((await checkout.prepare(ctx, { cartId: opened.id, shippingMethodId: 'express' })).pricesChanged).toBe(false);

      const orderId = randomUUID();
      await checkout.markConverted(ctx, { cartId: opened.id, orderId });
      await checkout.markConverted(ctx, { cartId: opened.id, orderId });
      await expect(checkout.markConverted(ctx, { cartId: opened.id, orderId: randomUUID() })).rejects.toMatchObject({ code: 'CART.NOT_OPEN' });
      await expect(checkout.prepare(ctx, { cartId: opened.id })).rejects.toMatchObject({ code: 'CART.NOT_OPEN' });
      // The customer's next POST /carts starts a new cart.
      expect((await sessions.open(ctx, {})).id).not.toBe(opened.id);
      catalog.add(sellableVariant('CUP', 500));
    });

    it('refuses to hand over lines the catalog no longer sells', async () => {
      const ctx = customer();
      const opened = await sessions.open(ctx, {});
      catalog.add(sellableVariant('GONE-SOON', 100));
      inventory.stock.set('GONE-SOON', 5);
      await carts.addItem(ctx, opened.id, { sku: 'GONE-SOON', quantity: 1 });
      catalog.add(sellableVariant('GONE-SOON', 100, { purchasable: false }));
      await expect(checkout.prepare(ctx, { cartId: opened.id, shippingAddress: address })).rejects.toMatchObject({ code: 'CART.NOT_PURCHASABLE', extensions: { skus: ['GONE-SOON'] } });
    });
  });
});


