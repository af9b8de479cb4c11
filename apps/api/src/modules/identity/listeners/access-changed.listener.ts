import { Injectable } from '@nestjs/common';
import type { AccountStatusChangedEvent, RolesChangedEvent } from '#contracts';
import { AccessRevocations, OnDomainEvent } from '#platform';
import { AccountsRepository } from '../accounts.repository.js';

/**
 * An account's status or roles changed: every verifier learns its access now, so the access tokens
 * issued before stop working (AccessRevocations). Records what the account holds when the event is
 * handled, not what the event says, so events handled late or out of order record the latest state.
 */
@Injectable()
export class AccessChangedListener {
  constructor(
    private readonly accounts: AccountsRepository,
    private readonly revocations: AccessRevocations,
  ) {}

  @OnDomainEvent('identity.account-status-changed')
  @OnDomainEvent('identity.roles-changed')
  async onAccessChanged(event: AccountStatusChangedEvent | RolesChangedEvent): Promise<void> {
    const account = await this.accounts.findById(event.accountId);
    // Gone (never the case today: accounts are disabled, not deleted): nothing it could still do.
    await this.revocations.record(event.accountId, account ? { status: account.status, roles: account.roles } : { status: 'deleted', roles: [] });
  }
}
