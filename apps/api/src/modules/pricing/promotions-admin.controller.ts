import { Body, Controller, Delete, Get, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { CallContext } from '#contracts';
import { Caller, Roles, UuidParam } from '#platform';
import { CreatePromotionDto, UpdatePromotionDto } from './dto/promotion.dto.js';
import { PromotionQuery } from './dto/promotion.query.js';
import { PromotionDto, PromotionPageDto, PromotionRemovedDto } from './dto/pricing.responses.js';
import { PromotionsService } from './promotions.service.js';

@ApiTags('admin: pricing')
@ApiBearerAuth()
@Roles('admin')
@Controller('admin/promotions')
export class PromotionsAdminController {
  constructor(private readonly promotions: PromotionsService) {}

  @Post() @ApiCreatedResponse({ type: PromotionDto, description: '400 names every field that does not fit the kind; 409 PRICING.CODE_TAKEN' })
  create(@Caller() ctx: CallContext, @Body() dto: CreatePromotionDto) { return this.promotions.create(ctx, dto); }

  @Get() @ApiOkResponse({ type: PromotionPageDto, description: 'Newest first' })
  list(@Caller() ctx: CallContext, @Query() query: PromotionQuery) { return this.promotions.list(ctx, query); }

  @Get(':id') @ApiOkResponse({ type: PromotionDto })
  get(@Caller() ctx: CallContext, @UuidParam('id') id: string) { return this.promotions.get(ctx, id); }

  @Patch(':id') @ApiOkResponse({ type: PromotionDto, description: 'The promotion as a whole is checked again; null clears an optional field' })
  update(@Caller() ctx: CallContext, @UuidParam('id') id: string, @Body() dto: UpdatePromotionDto) { return this.promotions.update(ctx, id, dto); }

  @Delete(':id') @ApiOkResponse({ type: PromotionRemovedDto, description: 'Deleted when never redeemed, otherwise deactivated' })
  remove(@Caller() ctx: CallContext, @UuidParam('id') id: string) { return this.promotions.remove(ctx, id); }
}
