/** The postal address reused by cart, checkout, orders and shipping. `countryCode` is ISO 3166-1 alpha-2. */
export interface Address {
  firstName: string;
  lastName: string;
  company?: string;
  line1: string;
  line2?: string;
  city: string;
  region?: string;
  postalCode: string;
  countryCode: string;
  phone?: string;
}

export interface SavedAddress extends Address {
  id: string;
  isDefaultShipping: boolean;
  isDefaultBilling: boolean;
  createdAt: string;
  updatedAt: string;
}
