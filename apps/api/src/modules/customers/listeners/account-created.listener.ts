import { Injectable } from '@nestjs/common';
import type { AccountCreatedEvent } from '#contracts';
import { OnDomainEvent } from '#platform';
import { CustomersRepository } from '../customers.repository.js';
import { defaultProfile } from '../customers.service.js';

/**
 * Every account gets a profile, even when registration failed between identity's commit and ours
 * (or the account was made elsewhere). Idempotent: an existing profile is left alone.
 */
@Injectable()
export class AccountCreatedListener {
  constructor(private readonly customers: CustomersRepository) {}

  @OnDomainEvent('identity.account-created')
  async onAccountCreated(event: AccountCreatedEvent): Promise<void> {
    await this.customers.insertIfMissing(defaultProfile({ id: event.accountId, email: event.email }));
  }
}
