import { Body, Controller, Get, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { CallContext } from '#contracts';
import { Caller, Roles, UuidParam } from '#platform';
import { AdminOrdersQuery, CancelDto, NoteDto, TransitionDto } from './dto/order-queries.dto.js';
import { AdminOrderViewDto, OrderNoteViewDto, OrderPageDto, OrderViewDto } from './dto/order.responses.js';
import { OrdersService } from './orders.service.js';

const INVALID = '409 ORDERS.INVALID_TRANSITION lists the statuses allowed from the current one';

@ApiTags('admin: orders')
@ApiBearerAuth()
@Roles('admin')
@Controller('admin/orders')
export class OrdersAdminController {
  constructor(private readonly orders: OrdersService) {}

  @Get() @ApiOkResponse({ type: OrderPageDto, description: 'Filter by status, email and placement date; newest first' })
  list(@Query() q: AdminOrdersQuery) { return this.orders.list({ status: q.status, email: q.email, placedFrom: q.from, placedTo: q.to, page: q.page, pageSize: q.pageSize }); }

  @Get(':id') @ApiOkResponse({ type: AdminOrderViewDto, description: 'With its transitions and notes' })
  view(@Caller() ctx: CallContext, @UuidParam('id') id: string) { return this.orders.adminView(ctx, id); }

  @Post(':id/transitions') @ApiCreatedResponse({ type: OrderViewDto, description: INVALID })
  transition(@Caller() ctx: CallContext, @UuidParam('id') id: string, @Body() dto: TransitionDto) { return this.orders.transition(ctx, id, dto.to, dto.reason ?? null); }

  @Post(':id/cancel') @ApiCreatedResponse({ type: OrderViewDto, description: `From pending_payment or paid (its payment voided or refunded); ${INVALID}` })
  cancel(@Caller() ctx: CallContext, @UuidParam('id') id: string, @Body() dto: CancelDto) { return this.orders.cancel(ctx, id, dto.reason ?? null); }

  @Post(':id/notes') @ApiCreatedResponse({ type: OrderNoteViewDto })
  note(@Caller() ctx: CallContext, @UuidParam('id') id: string, @Body() dto: NoteDto) { return this.orders.addNote(ctx, id, dto.text); }
}
