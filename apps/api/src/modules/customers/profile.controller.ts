import { Body, Controller, Get, Patch } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { CallContext } from '#contracts';
import { Caller } from '#platform';
import { CustomersService } from './customers.service.js';
import { MeDto } from './dto/customers.responses.js';
import { UpdateProfileDto } from './dto/update-profile.dto.js';

@ApiTags('me')
@ApiBearerAuth()
@Controller('me')
export class ProfileController {
  constructor(private readonly customers: CustomersService) {}

  @Get() @ApiOkResponse({ type: MeDto })
  get(@Caller() ctx: CallContext) { return this.customers.me(ctx); }

  @Patch() @ApiOkResponse({ type: MeDto })
  update(@Caller() ctx: CallContext, @Body() dto: UpdateProfileDto) { return this.customers.updateMe(ctx, dto); }
}
