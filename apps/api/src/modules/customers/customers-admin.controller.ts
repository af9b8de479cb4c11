import { Body, Controller, Get, Patch, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { CallContext } from '#contracts';
import { Caller, Roles, UuidParam } from '#platform';
import { CustomersService } from './customers.service.js';
import { ListCustomersQueryDto, SetCustomerStatusDto } from './dto/admin.dto.js';
import { CustomerDto, CustomerPageDto } from './dto/customers.responses.js';

@ApiTags('admin')
@ApiBearerAuth()
@Roles('admin')
@Controller('admin/customers')
export class CustomersAdminController {
  constructor(private readonly customers: CustomersService) {}

  @Get() @ApiOkResponse({ type: CustomerPageDto })
  list(@Caller() ctx: CallContext, @Query() query: ListCustomersQueryDto) { return this.customers.search(ctx, query); }

  @Patch(':id') @ApiOkResponse({ type: CustomerDto, description: 'Disabling revokes every refresh token; a 409 IDENTITY.LAST_ADMIN protects the last admin' })
  setStatus(@Caller() ctx: CallContext, @UuidParam('id') id: string, @Body() dto: SetCustomerStatusDto) { return this.customers.setDisabled(ctx, id, dto.disabled); }
}
