import { Body, Controller, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiTags } from '@nestjs/swagger';
import type { CallContext } from '#contracts';
import { Caller, Roles } from '#platform';
import { LegacyOrderDto, LegacyOrderImportedDto } from './legacy-order.dto.js';
import { LegacyOrderImportService } from './legacy-order-import.service.js';

@ApiTags('admin: orders')
@ApiBearerAuth()
@Roles('admin')
@Controller('admin/legacy-orders')
export class LegacyOrderImportController {
  constructor(private readonly imports: LegacyOrderImportService) {}

  @Post() @ApiCreatedResponse({ type: LegacyOrderImportedDto, description: 'Idempotent by number: an order already imported is answered as it is (created: false)' })
  import(@Caller() ctx: CallContext, @Body() dto: LegacyOrderDto) { return this.imports.import(ctx, dto); }
}
