import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type DataSource, type EntityManager, type FindOptionsWhere, ILike, Not } from 'typeorm';
import { type DomainEvent, EventPublisher } from '#platform';
import { CustomerAddress } from './customer-address.entity.js';
import { Customer, type CustomerStatus } from './customer.entity.js';

export type NewCustomer = Pick<Customer, 'id' | 'email' | 'name'>;
export type ProfileChange = Partial<Pick<Customer, 'name' | 'phone' | 'marketingConsent'>>;
export type AddressFields = Omit<CustomerAddress, 'id' | 'customerId' | 'customer' | 'createdAt' | 'updatedAt'>;
export type AddressChange = Partial<AddressFields>;

export interface CustomerSearch {
  q?: string;
  status?: CustomerStatus;
  page: number;
  pageSize: number;
}

/** `%` and `_` in what an admin types are literal characters, not wildcards. */
export const likePattern = (text: string): string => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/**
 * Profiles and address books. Every change to an address book first locks its customer's row, so
 * the 20-address cap and the one-default rules hold under concurrent requests.
 */
@Injectable()
export class CustomersRepository {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly events: EventPublisher,
  ) {}

  /** Inserts the profile, or names the one the account-created listener got in first with. */
  async register(customer: NewCustomer, event: DomainEvent): Promise<Customer> {
    return this.dataSource.transaction(async (tx) => {
      await tx.createQueryBuilder().insert().into(Customer).values(customer).orUpdate(['email', 'name', 'updated_at'], ['id']).execute();
      await this.events.publish(tx, event);
      return tx.findOneByOrFail(Customer, { id: customer.id });
    });
  }

  /** Idempotent: an existing profile is left as it is. */
  async insertIfMissing(customer: NewCustomer): Promise<void> {
    await this.dataSource.createQueryBuilder().insert().into(Customer).values(customer).orIgnore().execute();
  }

  findById(id: string): Promise<Customer | null> {
    return this.dataSource.manager.findOneBy(Customer, { id });
  }

  /** Null for no such customer. The consent time moves only when the consent does. */
  async updateProfile(id: string, change: ProfileChange): Promise<Customer | null> {
    const { marketingConsent, ...rest } = change;
    const update = this.dataSource.createQueryBuilder().update(Customer).set(rest).where('id = :id', { id });
    if (marketingConsent !== undefined) {
      // The right-hand side sees the row before this update.
      const since = 'CASE WHEN marketing_consent = :consent THEN marketing_consent_updated_at ELSE now() END';
      update.set({ ...rest, marketingConsent, marketingConsentUpdatedAt: () => since }).setParameter('consent', marketingConsent);
    }
    const result = await update.execute();
    return result.affected ? this.findById(id) : null;
  }

  /** Sets the local copy of the account status, creating the profile if it was never made. */
  async setStatus(customer: NewCustomer, status: CustomerStatus): Promise<Customer> {
    await this.dataSource
      .createQueryBuilder()
      .insert()
      .into(Customer)
      .values({ ...customer, status })
      .orUpdate(['status', 'updated_at'], ['id'])
      .execute();
    return this.dataSource.manager.findOneByOrFail(Customer, { id: customer.id });
  }

  /** Newest first; `q` matches part of the email or the name, case-insensitively (pg_trgm-indexed). */
  async search({ q, status, page, pageSize }: CustomerSearch): Promise<{ items: Customer[]; total: number }> {
    const base: FindOptionsWhere<Customer> = status ? { status } : {};
    const where = q ? [{ ...base, email: ILike(likePattern(q)) }, { ...base, name: ILike(likePattern(q)) }] : base;
    const [items, total] = await this.dataSource.manager.findAndCount(Customer, {
      where,
      order: { createdAt: 'DESC', id: 'DESC' },
      skip: (page - 1) * pageSize,
      take: pageSize,
    });
    return { items, total };
  }

  listAddresses(customerId: string): Promise<CustomerAddress[]> {
    return this.dataSource.manager.find(CustomerAddress, { where: { customerId }, order: { createdAt: 'ASC', id: 'ASC' } });
  }

  findAddress(customerId: string, id: string): Promise<CustomerAddress | null> {
    return this.dataSource.manager.findOneBy(CustomerAddress, { customerId, id });
  }

  defaultAddresses(customerId: string): Promise<CustomerAddress[]> {
    return this.dataSource.manager.find(CustomerAddress, {
      where: [
        { customerId, isDefaultShipping: true },
        { customerId, isDefaultBilling: true },
      ],
    });
  }

  /**
   * Adds an address; the first one becomes both defaults, and a new default replaces the old one.
   * 'no-customer' when there is no profile, 'full' when the book already holds `limit` addresses.
   */
  async addAddress(customerId: string, id: string, fields: AddressFields, limit: number): Promise<CustomerAddress | 'no-customer' | 'full'> {
    return this.dataSource.transaction(async (tx) => {
      if (!(await lockCustomer(tx, customerId))) return 'no-customer';
      const count = await tx.countBy(CustomerAddress, { customerId });
      if (count >= limit) return 'full';
      const first = count === 0;
      const row = { ...fields, id, customerId, isDefaultShipping: fields.isDefaultShipping || first, isDefaultBilling: fields.isDefaultBilling || first };
      await clearOtherDefaults(tx, customerId, id, row);
      await tx.insert(CustomerAddress, row);
      return tx.findOneByOrFail(CustomerAddress, { id });
    });
  }

  /** Null for no such address in this customer's book. */
  async updateAddress(customerId: string, id: string, change: AddressChange): Promise<CustomerAddress | null> {
    return this.dataSource.transaction(async (tx) => {
      await lockCustomer(tx, customerId);
      if (!(await tx.existsBy(CustomerAddress, { customerId, id }))) return null;
      await clearOtherDefaults(tx, customerId, id, change);
      if (Object.keys(change).length > 0) await tx.update(CustomerAddress, { customerId, id }, change);
      return tx.findOneByOrFail(CustomerAddress, { id });
    });
  }

  /** False for no such address. A default that goes hands its role to the newest remaining address. */
  async deleteAddress(customerId: string, id: string): Promise<boolean> {
    return this.dataSource.transaction(async (tx) => {
      await lockCustomer(tx, customerId);
      const address = await tx.findOneBy(CustomerAddress, { customerId, id });
      if (!address) return false;
      await tx.delete(CustomerAddress, { id });
      const roles = (['isDefaultShipping', 'isDefaultBilling'] as const).filter((role) => address[role]);
      const heir = roles.length ? await tx.findOne(CustomerAddress, { where: { customerId }, order: { createdAt: 'DESC', id: 'DESC' } }) : null;
      if (heir) await tx.update(CustomerAddress, { id: heir.id }, Object.fromEntries(roles.map((role) => [role, true])));
      return true;
    });
  }
}

async function lockCustomer(tx: EntityManager, id: string): Promise<boolean> {
  return (await tx.findOne(Customer, { where: { id }, select: { id: true }, lock: { mode: 'pessimistic_write' } })) !== null;
}

/** Before `id` takes a default role: the partial unique indexes allow one holder at a time. */
async function clearOtherDefaults(tx: EntityManager, customerId: string, id: string, change: AddressChange): Promise<void> {
  for (const role of ['isDefaultShipping', 'isDefaultBilling'] as const) {
    if (change[role]) await tx.update(CustomerAddress, { customerId, id: Not(id), [role]: true }, { [role]: false });
  }
}
