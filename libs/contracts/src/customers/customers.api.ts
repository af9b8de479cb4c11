import type { CallContext } from '../call-context.js';
import type { SavedAddress } from './address.js';

export interface CustomerView {
  id: string;
  email: string;
  name: string;
  phone: string | null;
  marketingConsent: boolean;
  status: 'active' | 'disabled';
  createdAt: string;
  updatedAt: string;
}

export interface CustomersApi {
  getCustomer(ctx: CallContext, customerId: string): Promise<CustomerView>;
  /** One of the customer's saved addresses (for checkout); CUSTOMERS.ADDRESS_NOT_FOUND otherwise. */
  getAddress(ctx: CallContext, customerId: string, addressId: string): Promise<SavedAddress>;
  /** The default shipping and billing addresses, either null when none is set. */
  getDefaultAddresses(ctx: CallContext, customerId: string): Promise<{ shipping: SavedAddress | null; billing: SavedAddress | null }>;
}

export const CustomersPatterns = {
  getCustomer: 'customers.get-customer',
  getAddress: 'customers.get-address',
  getDefaultAddresses: 'customers.get-default-addresses',
} satisfies Record<keyof CustomersApi, string>;

export const CUSTOMERS_API = Symbol('CUSTOMERS_API');

/** Published when a customer registers (for a welcome email, a CRM). `name` is the event's own name. */
export interface CustomerRegisteredEvent {
  name: 'customers.customer-registered';
  version: 1;
  customerId: string;
  email: string;
  customerName: string;
}
