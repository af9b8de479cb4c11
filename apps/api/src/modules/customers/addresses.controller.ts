import { Body, Controller, Delete, Get, HttpCode, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiConflictResponse, ApiCreatedResponse, ApiNoContentResponse, ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { CallContext } from '#contracts';
import { Caller, UuidParam } from '#platform';
import { AddressesService } from './addresses.service.js';
import { CreateAddressDto, SavedAddressDto, UpdateAddressDto } from './dto/address.dto.js';

@ApiTags('me')
@ApiBearerAuth()
@Controller('me/addresses')
export class AddressesController {
  constructor(private readonly addresses: AddressesService) {}

  @Get() @ApiOkResponse({ type: [SavedAddressDto] })
  list(@Caller() ctx: CallContext) { return this.addresses.list(ctx); }

  @Post() @ApiCreatedResponse({ type: SavedAddressDto }) @ApiConflictResponse({ description: 'CUSTOMERS.ADDRESS_LIMIT_REACHED (20 addresses)' })
  add(@Caller() ctx: CallContext, @Body() dto: CreateAddressDto) { return this.addresses.add(ctx, dto); }

  @Patch(':id') @ApiOkResponse({ type: SavedAddressDto }) @ApiNotFoundResponse({ description: 'CUSTOMERS.ADDRESS_NOT_FOUND' })
  update(@Caller() ctx: CallContext, @UuidParam('id') id: string, @Body() dto: UpdateAddressDto) { return this.addresses.update(ctx, id, dto); }

  @Delete(':id') @HttpCode(204) @ApiNoContentResponse({ description: 'Deleted; a default role passes to the newest remaining address' })
  remove(@Caller() ctx: CallContext, @UuidParam('id') id: string) { return this.addresses.remove(ctx, id); }
}
