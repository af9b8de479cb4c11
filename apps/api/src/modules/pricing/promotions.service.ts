import { Injectable } from '@nestjs/common';
import type { CallContext } from '#contracts';
import { isUniqueViolation } from '#platform';
import type { CreatePromotionDto, UpdatePromotionDto } from './dto/promotion.dto.js';
import type { PromotionQuery } from './dto/promotion.query.js';
import { PricingReads } from './pricing-reads.js';
import { normaliseCode } from './pricing-rules.js';
import { CouponCodeTakenError, InvalidPromotionError, PromotionNotFoundError } from './pricing.errors.js';
import { promotionProblems } from './promotion-shape.js';
import type { Promotion } from './promotion.entity.js';
import { type PromotionView, toPromotionView } from './promotion.view.js';
import { type NewPromotion, PromotionsRepository } from './promotions.repository.js';

const instant = (value: string | null | undefined) => (value ? new Date(value) : null);

/** The stored fields a request sets; undefined ones are left as they are. */
function fieldsOf(dto: UpdatePromotionDto): Partial<NewPromotion> {
  const fields: Partial<NewPromotion> = {
    name: dto.name,
    code: dto.code === undefined ? undefined : dto.code === null ? null : normaliseCode(dto.code),
    kind: dto.kind,
    percentage: dto.percentage,
    amount: dto.amount,
    currency: dto.currency,
    targetSkus: dto.targets === undefined ? undefined : [...new Set(dto.targets?.skus ?? [])],
    targetCategoryIds: dto.targets === undefined ? undefined : [...new Set(dto.targets?.categoryIds ?? [])],
    targetBrandIds: dto.targets === undefined ? undefined : [...new Set(dto.targets?.brandIds ?? [])],
    minSubtotal: dto.minSubtotal,
    customerGroup: dto.customerGroup,
    firstOrderOnly: dto.firstOrderOnly,
    startsAt: dto.startsAt === undefined ? undefined : instant(dto.startsAt),
    endsAt: dto.endsAt === undefined ? undefined : instant(dto.endsAt),
    usageLimit: dto.usageLimit,
    perCustomerLimit: dto.perCustomerLimit,
    active: dto.active,
  };
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as Partial<NewPromotion>;
}

const DEFAULTS: NewPromotion = {
  name: '', code: null, kind: 'order_percentage', percentage: null, amount: null, currency: null, targetSkus: [], targetCategoryIds: [], targetBrandIds: [],
  minSubtotal: null, customerGroup: null, firstOrderOnly: false, startsAt: null, endsAt: null, usageLimit: null, perCustomerLimit: null, active: true,
};

/** Admin CRUD of promotions; every write invalidates the cached promotions. */
@Injectable()
export class PromotionsService {
  constructor(
    private readonly promotions: PromotionsRepository,
    private readonly reads: PricingReads,
  ) {}

  async create(_ctx: CallContext, dto: CreatePromotionDto): Promise<PromotionView> {
    const fields = { ...DEFAULTS, ...fieldsOf(dto) };
    checkShape(fields);
    const created = await this.saving(fields.code, () => this.promotions.create(fields));
    await this.reads.promotionsChanged();
    return toPromotionView(created);
  }

  async list(_ctx: CallContext, query: PromotionQuery) {
    const filter = { active: query.active, type: query.type, kind: query.kind, code: query.code ? normaliseCode(query.code) : undefined };
    const [rows, total] = await this.promotions.list(filter, query.page, query.pageSize);
    return { items: rows.map(toPromotionView), total, page: query.page, pageSize: query.pageSize };
  }

  async get(_ctx: CallContext, id: string): Promise<PromotionView> {
    return toPromotionView(await this.existing(id));
  }

  async update(_ctx: CallContext, id: string, dto: UpdatePromotionDto): Promise<PromotionView> {
    const current = await this.existing(id);
    const changes = fieldsOf(dto);
    const merged: NewPromotion = { ...current, ...changes };
    const problems = promotionProblems(merged);
    if (merged.usageLimit !== null && merged.usageLimit < current.uses) problems.push({ field: 'usageLimit', message: `usageLimit must not be below the ${current.uses} uses already taken` });
    if (problems.length > 0) throw new InvalidPromotionError(problems);
    const updated = await this.saving(changes.code, () => this.promotions.update(id, changes));
    if (!updated) throw new PromotionNotFoundError(id);
    await this.reads.promotionsChanged();
    return toPromotionView(updated);
  }

  async remove(_ctx: CallContext, id: string): Promise<{ id: string; outcome: 'deleted' | 'deactivated' }> {
    const outcome = await this.promotions.remove(id);
    if (!outcome) throw new PromotionNotFoundError(id);
    await this.reads.promotionsChanged();
    return { id, outcome };
  }

  private async existing(id: string): Promise<Promotion> {
    const promotion = await this.promotions.findById(id);
    if (!promotion) throw new PromotionNotFoundError(id);
    return promotion;
  }

  private async saving<T>(code: string | null | undefined, save: () => Promise<T>): Promise<T> {
    try {
      return await save();
    } catch (error) {
      if (code && isUniqueViolation(error)) throw new CouponCodeTakenError(code);
      throw error;
    }
  }
}

function checkShape(fields: NewPromotion): void {
  const problems = promotionProblems(fields);
  if (problems.length > 0) throw new InvalidPromotionError(problems);
}
