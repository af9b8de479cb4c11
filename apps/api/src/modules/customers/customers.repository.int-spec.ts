import { randomUUID } from 'node:crypto';
import type { INestApplicationContext } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { createTestDatabase, startBackendContext, type TestDatabase } from '#testing';
import { CustomerAddress } from './customer-address.entity.js';
import { Customer } from './customer.entity.js';
import { type AddressFields, CustomersRepository } from './customers.repository.js';

const address = (overrides: Partial<AddressFields> = {}): AddressFields => ({
  firstName: 'Ada',
  lastName: 'Lovelace',
  company: null,
  line1: 'Unter den Linden 1',
  line2: null,
  city: 'Berlin',
  region: null,
  postalCode: '10117',
  countryCode: 'DE',
  phone: null,
  isDefaultShipping: false,
  isDefaultBilling: false,
  ...overrides,
});

describe('CustomersRepository (real PostgreSQL)', () => {
  let db: TestDatabase;
  let app: INestApplicationContext;
  let repo: CustomersRepository;

  beforeAll(async () => {
    db = await createTestDatabase();
    app = await startBackendContext(db, { imports: [TypeOrmModule.forFeature([Customer, CustomerAddress])], providers: [CustomersRepository] });
    repo = app.get(CustomersRepository);
  });
  afterAll(async () => {
    await app.close();
    await db.drop();
  });

  async function customer(fields: { email?: string; name?: string } = {}): Promise<string> {
    const id = randomUUID();
    await repo.insertIfMissing({ id, email: fields.email ?? `c-${id}@example.com`, name: fields.name ?? 'Someone' });
    return id;
  }

  const defaults = async (customerId: string) => {
    const rows = await repo.listAddresses(customerId);
    return {
      shipping: rows.filter((r) => r.isDefaultShipping).map((r) => r.id),
      billing: rows.filter((r) => r.isDefaultBilling).map((r) => r.id),
    };
  };

  describe('address book defaults', () => {
    it('makes the first address both defaults, and a later default replaces only its own role', async () => {
      const c = await customer();
      const first = await repo.addAddress(c, randomUUID(), address(), 20);
      expect(first).toMatchObject({ isDefaultShipping: true, isDefaultBilling: true });
      const second = await repo.addAddress(c, randomUUID(), address({ isDefaultShipping: true }), 20);
      const third = await repo.addAddress(c, randomUUID(), address(), 20);
      expect(third).toMatchObject({ isDefaultShipping: false, isDefaultBilling: false });
      expect(await defaults(c)).toEqual({ shipping: [(second as CustomerAddress).id], billing: [(first as CustomerAddress).id] });
    });

    it('moves a default on update, and leaves other customers alone', async () => {
      const [c, other] = [await customer(), await customer()];
      const a = (await repo.addAddress(c, randomUUID(), address(), 20)) as CustomerAddress;
      const b = (await repo.addAddress(c, randomUUID(), address(), 20)) as CustomerAddress;
      const theirs = (await repo.addAddress(other, randomUUID(), address(), 20)) as CustomerAddress;
      await repo.updateAddress(c, b.id, { isDefaultBilling: true, city: 'Hamburg' });
      expect(await defaults(c)).toEqual({ shipping: [a.id], billing: [b.id] });
      expect(await repo.findAddress(c, b.id)).toMatchObject({ city: 'Hamburg' });
      expect(await defaults(other)).toEqual({ shipping: [theirs.id], billing: [theirs.id] });
      expect(await repo.updateAddress(c, theirs.id, { city: 'Nowhere' })).toBeNull();
      expect(await repo.findAddress(other, theirs.id)).toMatchObject({ city: 'Berlin' });
    });

    it('keeps one default per role when many requests set one at once', async () => {
      const c = await customer();
      const ids = Array.from({ length: 10 }, () => randomUUID());
      const results = await Promise.all(ids.map((id) => repo.addAddress(c, id, address({ isDefaultShipping: true, isDefaultBilling: true }), 20)));
      expect(results.every((r) => typeof r === 'object')).toBe(true);
      const { shipping, billing } = await defaults(c);
      expect(shipping).toHaveLength(1);
      expect(billing).toHaveLength(1);
    });

    it('is guarded by the schema too: a second default row is refused by a partial unique index', async () => {
      const c = await customer();
      await repo.addAddress(c, randomUUID(), address(), 20);
      await expect(
        db.query(
          `INSERT INTO customers.addresses (id, customer_id, first_name, last_name, line1, city, postal_code, country_code, is_default_shipping)
           VALUES ($1, $2, 'A', 'B', 'C', 'D', 'E', 'DE', true)`,
          [randomUUID(), c],
        ),
      ).rejects.toThrow(/UQ_customers_addresses_default_shipping/);
    });

    it('hands a deleted default to the newest remaining address, and nothing else changes on other deletes', async () => {
      const c = await customer();
      const a = (await repo.addAddress(c, randomUUID(), address(), 20)) as CustomerAddress;
      const b = (await repo.addAddress(c, randomUUID(), address(), 20)) as CustomerAddress;
      const newest = (await repo.addAddress(c, randomUUID(), address(), 20)) as CustomerAddress;
      await repo.updateAddress(c, b.id, { isDefaultBilling: true });

      expect(await repo.deleteAddress(c, a.id)).toBe(true);
      expect(await defaults(c)).toEqual({ shipping: [newest.id], billing: [b.id] });
      expect(await repo.deleteAddress(c, a.id)).toBe(false);

      expect(await repo.deleteAddress(c, newest.id)).toBe(true);
      expect(await defaults(c)).toEqual({ shipping: [b.id], billing: [b.id] });
      expect(await repo.deleteAddress(c, b.id)).toBe(true);
      expect(await repo.listAddresses(c)).toEqual([]);
    });

    it('holds at most the limit of addresses, also when requests race', async () => {
      const c = await customer();
      const results = await Promise.all(Array.from({ length: 6 }, () => repo.addAddress(c, randomUUID(), address(), 4)));
      expect(results.filter((r) => r === 'full')).toHaveLength(2);
      expect(await repo.listAddresses(c)).toHaveLength(4);
      expect(await repo.addAddress(randomUUID(), randomUUID(), address(), 4)).toBe('no-customer');
    });
  });

  describe('profiles', () => {
    it('keeps an existing profile on insertIfMissing, and register names it', async () => {
      const id = await customer({ name: 'from-listener' });
      await repo.insertIfMissing({ id, email: 'other@example.com', name: 'overwritten?' });
      expect(await repo.findById(id)).toMatchObject({ name: 'from-listener' });
      const registered = await repo.register(
        { id, email: `c-${id}@example.com`, name: 'Ada Lovelace' },
        { name: 'customers.customer-registered', version: 1, customerId: id },
      );
      expect(registered).toMatchObject({ id, name: 'Ada Lovelace' });
      const outbox = await db.query(`SELECT name, payload FROM platform.outbox_events WHERE payload->>'customerId' = $1`, [id]);
      expect(outbox.rows).toEqual([{ name: 'customers.customer-registered', payload: { customerId: id } }]);
    });

    it('moves the consent time only when the consent changes', async () => {
      const id = await customer();
      expect((await repo.findById(id))?.marketingConsentUpdatedAt).toBeNull();
      const given = await repo.updateProfile(id, { marketingConsent: true });
      expect(given?.marketingConsentUpdatedAt).toBeInstanceOf(Date);
      const renamed = await repo.updateProfile(id, { name: 'New Name', marketingConsent: true });
      expect(renamed).toMatchObject({ name: 'New Name', marketingConsent: true });
      expect(renamed?.marketingConsentUpdatedAt).toEqual(given?.marketingConsentUpdatedAt);
      const withdrawn = await repo.updateProfile(id, { marketingConsent: false });
      expect(withdrawn?.marketingConsentUpdatedAt?.getTime()).toBeGreaterThan(given!.marketingConsentUpdatedAt!.getTime());
      expect(await repo.updateProfile(randomUUID(), { name: 'Nobody' })).toBeNull();
    });
  });

  describe('search', () => {
    const tag = randomUUID().slice(0, 8);
    let ids: Record<string, string>;
    beforeAll(async () => {
      ids = {};
      for (const [key, email, name] of [
        ['grace', `grace.${tag}@example.com`, 'Grace Hopper'],
        ['ada', `ada.${tag}@example.com`, `Ada LOVELACE ${tag.toUpperCase()}`],
        ['percent', `p100%.${tag}@example.com`, 'Percy Cent'],
        ['under', `under_${tag}@example.com`, 'Una Derscore'],
        ['disabled', `gone.${tag}@example.com`, `Lovelace ${tag} Fan`],
      ] as const) {
        ids[key] = await customer({ email, name });
      }
      await repo.setStatus({ id: ids.disabled!, email: '', name: '' }, 'disabled');
    });

    const search = async (q: string | undefined, extra: { status?: 'active' | 'disabled'; page?: number; pageSize?: number } = {}) => {
      const { items, total } = await repo.search({ q, page: 1, pageSize: 20, ...extra });
      return { ids: items.map((c) => c.id), total };
    };

    it('matches part of the email or the name, whatever the case', async () => {
      expect((await search(`GRACE.${tag}`)).ids).toEqual([ids.grace]);
      expect(new Set((await search(`lovelace ${tag}`)).ids)).toEqual(new Set([ids.ada, ids.disabled]));
    });

    it('takes % and _ literally', async () => {
      expect((await search(`100%.${tag}`)).ids).toEqual([ids.percent]);
      expect((await search('%')).ids).toEqual([ids.percent]);
      expect((await search(`under_${tag}`)).ids).toEqual([ids.under]);
      expect((await search(`r_${tag}`)).ids).toEqual([ids.under]);
    });

    it('filters by status', async () => {
      expect((await search(`lovelace ${tag}`, { status: 'disabled' })).ids).toEqual([ids.disabled]);
      expect((await search(`lovelace ${tag}`, { status: 'active' })).ids).toEqual([ids.ada]);
    });

    it('pages newest first and counts every match', async () => {
      const first = await search(tag, { pageSize: 2 });
      const second = await search(tag, { pageSize: 2, page: 2 });
      const third = await search(tag, { pageSize: 2, page: 3 });
      expect(first.total).toBe(5);
      expect([...first.ids, ...second.ids, ...third.ids]).toEqual([ids.disabled, ids.under, ids.percent, ids.ada, ids.grace]);
      expect((await search(tag, { pageSize: 2, page: 4 })).ids).toEqual([]);
    });
  });
});
