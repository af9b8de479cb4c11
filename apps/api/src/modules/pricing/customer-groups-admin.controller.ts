import { Controller, Delete, Get, HttpCode, Param, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { CallContext } from '#contracts';
import { Caller, RequestValidationException, Roles, UuidParam } from '#platform';
import { CustomerGroupsService } from './customer-groups.service.js';
import { GROUP_PATTERN } from './dto/promotion.dto.js';
import { CustomerFactsDto } from './dto/pricing.responses.js';

const GroupParam = () =>
  Param('group', {
    transform: (value: string) => {
      if (!GROUP_PATTERN.test(value)) throw new RequestValidationException([{ field: 'group', message: 'group must be 1 to 64 lower-case letters, digits, underscores or hyphens' }]);
      return value;
    },
  });

@ApiTags('admin: pricing')
@ApiBearerAuth()
@Roles('admin')
@Controller('admin/pricing')
export class CustomerGroupsAdminController {
  constructor(private readonly groups: CustomerGroupsService) {}

  @Put('customer-groups/:group/members/:customerId') @HttpCode(204) @ApiNoContentResponse({ description: 'Idempotent' })
  add(@Caller() ctx: CallContext, @GroupParam() group: string, @UuidParam('customerId') customerId: string) { return this.groups.add(ctx, group, customerId); }

  @Delete('customer-groups/:group/members/:customerId') @HttpCode(204) @ApiNoContentResponse({ description: 'Idempotent' })
  remove(@Caller() ctx: CallContext, @GroupParam() group: string, @UuidParam('customerId') customerId: string) { return this.groups.remove(ctx, group, customerId); }

  @Get('customers/:customerId') @ApiOkResponse({ type: CustomerFactsDto, description: 'Groups and whether an order was placed (first-order promotions)' })
  customer(@Caller() ctx: CallContext, @UuidParam('customerId') customerId: string) { return this.groups.facts(ctx, customerId); }
}
