import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { TaxRate } from './tax-rate.entity.js';

export type TaxRateFields = Pick<TaxRate, 'countryCode' | 'region' | 'basisPoints' | 'name'>;

@Injectable()
export class TaxRatesRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  all(): Promise<TaxRate[]> {
    return this.dataSource.manager.find(TaxRate, { order: { countryCode: 'ASC', region: 'ASC' } });
  }

  findById(id: string): Promise<TaxRate | null> {
    return this.dataSource.manager.findOneBy(TaxRate, { id });
  }

  async create(fields: TaxRateFields): Promise<TaxRate> {
    const id = randomUUID();
    await this.dataSource.manager.insert(TaxRate, { ...fields, id });
    return this.dataSource.manager.findOneByOrFail(TaxRate, { id });
  }

  async update(id: string, changes: Partial<TaxRateFields>): Promise<TaxRate | null> {
    if (Object.keys(changes).length > 0) await this.dataSource.manager.update(TaxRate, { id }, changes);
    return this.findById(id);
  }

  async remove(id: string): Promise<boolean> {
    return ((await this.dataSource.manager.delete(TaxRate, { id })).affected ?? 0) > 0;
  }
}
