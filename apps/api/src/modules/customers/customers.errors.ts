import { DomainError } from '#platform';

export class CustomerNotFoundError extends DomainError {
  constructor(id: string) {
    super('CUSTOMERS.CUSTOMER_NOT_FOUND', 'not_found', `No customer ${id}`);
  }
}

/** Also the answer for another customer's address: whether it exists is none of the caller's business. */
export class AddressNotFoundError extends DomainError {
  constructor(id: string) {
    super('CUSTOMERS.ADDRESS_NOT_FOUND', 'not_found', `No address ${id} in this address book`);
  }
}

export class AddressLimitReachedError extends DomainError {
  constructor(limit: number) {
    super('CUSTOMERS.ADDRESS_LIMIT_REACHED', 'conflict', `An address book holds at most ${limit} addresses; delete one first`, { limit });
  }
}
