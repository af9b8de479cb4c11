import { Injectable } from '@nestjs/common';
import type { AccountStatus, CallContext, CreateAccountInput, IdentityApi } from '#contracts';
import { AccountsService } from './accounts.service.js';

/** IdentityApi for other contexts; in-process today, behind IDENTITY_API so a transport can replace it. */
@Injectable()
export class IdentityFacade implements IdentityApi {
  constructor(private readonly accounts: AccountsService) {}

  createAccount(ctx: CallContext, input: CreateAccountInput) {
    return this.accounts.create(ctx, input);
  }

  getAccount(ctx: CallContext, accountId: string) {
    return this.accounts.get(ctx, accountId);
  }

  setAccountStatus(ctx: CallContext, accountId: string, status: AccountStatus) {
    return this.accounts.setStatus(ctx, accountId, status);
  }
}
