import { Body, Controller, Get, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { CallContext } from '#contracts';
import { Caller, Roles, UuidParam } from '#platform';
import { AccountsService } from './accounts.service.js';
import { AccountDto } from './dto/identity.responses.js';
import { SetRolesDto } from './dto/roles.dto.js';

@ApiTags('admin')
@ApiBearerAuth()
@Roles('admin')
@Controller('admin/accounts')
export class AccountsAdminController {
  constructor(private readonly accounts: AccountsService) {}

  @Get(':id') @ApiOkResponse({ type: AccountDto })
  get(@Caller() ctx: CallContext, @UuidParam('id') id: string) { return this.accounts.get(ctx, id); }

  @Put(':id/roles') @ApiOkResponse({ type: AccountDto, description: 'New roles apply from the next token refresh; tokens that claim a role removed here are refused within a second' })
  setRoles(@Caller() ctx: CallContext, @UuidParam('id') id: string, @Body() dto: SetRolesDto) { return this.accounts.setRoles(ctx, id, dto.roles); }
}
