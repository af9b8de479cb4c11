import { DomainError } from '#platform';

export class LegacyOrderTotalMismatchError extends DomainError {
  constructor(number: string, total: number, sum: number) {
    super('ORDERS.LEGACY_TOTAL_MISMATCH', 'bad_request', `Order ${number}: total ${total} is not the sum of its lines (${sum})`);
  }
}
