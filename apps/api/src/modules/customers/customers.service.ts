import { Inject, Injectable } from '@nestjs/common';
import { type CallContext, type CustomerRegisteredEvent, type CustomerView, IDENTITY_API, type IdentityApi } from '#contracts';
import { AuthenticationRequiredError } from '#platform';
import type { Customer } from './customer.entity.js';
import { toCustomerView } from './customer.view.js';
import { CustomerNotFoundError } from './customers.errors.js';
import { type CustomerSearch, CustomersRepository, type NewCustomer, type ProfileChange } from './customers.repository.js';
import type { RegisterDto } from './dto/register.dto.js';

/** The profile an account gets when none was made at registration: named after its email's local part. */
export const defaultProfile = (account: { id: string; email: string }): NewCustomer => ({
  id: account.id,
  email: account.email,
  name: account.email.split('@')[0]!.slice(0, 100) || account.email.slice(0, 100),
});

/** The signed-in caller's id; routes without @Public() always have one. */
export function callerId(ctx: CallContext): string {
  if (!ctx.userId) throw new AuthenticationRequiredError();
  return ctx.userId;
}

/** Registration, the caller's profile, and the admin's view of customers. */
@Injectable()
export class CustomersService {
  constructor(
    private readonly customers: CustomersRepository,
    @Inject(IDENTITY_API) private readonly identity: IdentityApi,
  ) {}

  /** Identity makes the credentials (409 for a taken email); the profile and the event follow. */
  async register(ctx: CallContext, dto: RegisterDto) {
    const { account, tokens } = await this.identity.createAccount(ctx, { email: dto.email, password: dto.password });
    const customer = await this.customers.register(
      { id: account.id, email: account.email, name: dto.name },
      // `customerName`, since `name` is the event's own.
      {
        name: 'customers.customer-registered',
        version: 1,
        customerId: account.id,
        email: account.email,
        customerName: dto.name,
      } satisfies CustomerRegisteredEvent,
    );
    return {
      user: { id: customer.id, email: customer.email, name: customer.name, roles: account.roles, createdAt: account.createdAt },
      tokens,
    };
  }

  async me(ctx: CallContext): Promise<CustomerView & { roles: string[] }> {
    const id = callerId(ctx);
    const customer = (await this.customers.findById(id)) ?? (await this.createMissingProfile(ctx, id));
    return { ...toCustomerView(customer), roles: ctx.roles };
  }

  async updateMe(ctx: CallContext, change: ProfileChange): Promise<CustomerView & { roles: string[] }> {
    const id = callerId(ctx);
    if (!(await this.customers.updateProfile(id, change))) {
      await this.createMissingProfile(ctx, id);
      await this.customers.updateProfile(id, change);
    }
    return this.me(ctx);
  }

  async get(_ctx: CallContext, id: string): Promise<CustomerView> {
    const customer = await this.customers.findById(id);
    if (!customer) throw new CustomerNotFoundError(id);
    return toCustomerView(customer);
  }

  async search(_ctx: CallContext, query: CustomerSearch) {
    const { items, total } = await this.customers.search(query);
    return { items: items.map(toCustomerView), page: query.page, pageSize: query.pageSize, total };
  }

  /** Identity disables the account (revoking its sessions; IDENTITY.LAST_ADMIN protects the last admin), then the copy follows. */
  async setDisabled(ctx: CallContext, id: string, disabled: boolean): Promise<CustomerView> {
    const account = await this.identity.setAccountStatus(ctx, id, disabled ? 'disabled' : 'active');
    return toCustomerView(await this.customers.setStatus(defaultProfile(account), account.status));
  }

  /** An account whose profile insert failed at registration, before the listener has repaired it. */
  private async createMissingProfile(ctx: CallContext, id: string): Promise<Customer> {
    await this.customers.insertIfMissing(defaultProfile(await this.identity.getAccount(ctx, id)));
    const customer = await this.customers.findById(id);
    if (!customer) throw new CustomerNotFoundError(id);
    return customer;
  }
}
