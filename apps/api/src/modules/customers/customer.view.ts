import type { CustomerView, SavedAddress } from '#contracts';
import type { CustomerAddress } from './customer-address.entity.js';
import type { Customer } from './customer.entity.js';

export const toCustomerView = (customer: Customer): CustomerView => ({
  id: customer.id,
  email: customer.email,
  name: customer.name,
  phone: customer.phone,
  marketingConsent: customer.marketingConsent,
  status: customer.status,
  createdAt: customer.createdAt.toISOString(),
  updatedAt: customer.updatedAt.toISOString(),
});

/** The contract's optional fields are left out when empty rather than sent as null. */
export const toSavedAddress = (row: CustomerAddress): SavedAddress => ({
  id: row.id,
  firstName: row.firstName,
  lastName: row.lastName,
  ...(row.company === null ? {} : { company: row.company }),
  line1: row.line1,
  ...(row.line2 === null ? {} : { line2: row.line2 }),
  city: row.city,
  ...(row.region === null ? {} : { region: row.region }),
  postalCode: row.postalCode,
  countryCode: row.countryCode,
  ...(row.phone === null ? {} : { phone: row.phone }),
  isDefaultShipping: row.isDefaultShipping,
  isDefaultBilling: row.isDefaultBilling,
  createdAt: row.createdAt.toISOString(),
  updatedAt: row.updatedAt.toISOString(),
});
