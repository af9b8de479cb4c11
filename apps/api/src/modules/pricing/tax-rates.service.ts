import { Injectable } from '@nestjs/common';
import type { CallContext } from '#contracts';
import { isUniqueViolation } from '#platform';
import type { CreateTaxRateDto, UpdateTaxRateDto } from './dto/tax-rate.dto.js';
import { PricingReads } from './pricing-reads.js';
import type { TaxRateRule } from './pricing-rules.js';
import { TaxRateExistsError, TaxRateNotFoundError } from './pricing.errors.js';
import { toTaxRateRule } from './promotion.view.js';
import { type TaxRateFields, TaxRatesRepository } from './tax-rates.repository.js';

const region = (value: string | null | undefined) => (value === undefined ? undefined : value?.trim().toUpperCase() || null);

/** Admin CRUD of tax rates; every write invalidates the cached rates. */
@Injectable()
export class TaxRatesService {
  constructor(
    private readonly rates: TaxRatesRepository,
    private readonly reads: PricingReads,
  ) {}

  async list(_ctx: CallContext): Promise<TaxRateRule[]> {
    return (await this.rates.all()).map(toTaxRateRule);
  }

  async get(_ctx: CallContext, id: string): Promise<TaxRateRule> {
    const rate = await this.rates.findById(id);
    if (!rate) throw new TaxRateNotFoundError(id);
    return toTaxRateRule(rate);
  }

  async create(_ctx: CallContext, dto: CreateTaxRateDto): Promise<TaxRateRule> {
    const fields: TaxRateFields = { countryCode: dto.countryCode.toUpperCase(), region: region(dto.region) ?? null, basisPoints: dto.basisPoints, name: dto.name };
    const created = await this.saving(fields, () => this.rates.create(fields));
    await this.reads.taxRatesChanged();
    return toTaxRateRule(created);
  }

  async update(ctx: CallContext, id: string, dto: UpdateTaxRateDto): Promise<TaxRateRule> {
    const current = await this.get(ctx, id);
    const changes = Object.fromEntries(
      Object.entries({ countryCode: dto.countryCode?.toUpperCase(), region: region(dto.region), basisPoints: dto.basisPoints ?? undefined, name: dto.name ?? undefined }).filter(([, v]) => v !== undefined),
    ) as Partial<TaxRateFields>;
    const updated = await this.saving({ ...current, ...changes }, () => this.rates.update(id, changes));
    if (!updated) throw new TaxRateNotFoundError(id);
    await this.reads.taxRatesChanged();
    return toTaxRateRule(updated);
  }

  async remove(_ctx: CallContext, id: string): Promise<void> {
    if (!(await this.rates.remove(id))) throw new TaxRateNotFoundError(id);
    await this.reads.taxRatesChanged();
  }

  private async saving<T>(fields: Pick<TaxRateFields, 'countryCode' | 'region'>, save: () => Promise<T>): Promise<T> {
    try {
      return await save();
    } catch (error) {
      if (isUniqueViolation(error)) throw new TaxRateExistsError(fields.countryCode, fields.region);
      throw error;
    }
  }
}
