import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';

/** The lookups an import needs, one query per kind for the whole file (`= ANY($1)`: one parameter, any count). */
@Injectable()
export class ImportLookupsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** slug -> id */
  brandIds(slugs: string[]): Promise<Map<string, string>> {
    return this.pairs('SELECT slug AS key, id AS value FROM catalog.brands WHERE slug = ANY($1)', slugs);
  }

  /** slug -> id */
  categoryIds(slugs: string[]): Promise<Map<string, string>> {
    return this.pairs('SELECT slug AS key, id AS value FROM catalog.categories WHERE slug = ANY($1)', slugs);
  }

  /** slug -> id */
  productIds(slugs: string[]): Promise<Map<string, string>> {
    return this.pairs('SELECT slug AS key, id AS value FROM catalog.products WHERE slug = ANY($1)', slugs);
  }

  /** SKU -> slug of the product that holds it */
  skuOwners(skus: string[]): Promise<Map<string, string>> {
    return this.pairs(
      'SELECT v.sku AS key, p.slug AS value FROM catalog.variants v JOIN catalog.products p ON p.id = v.product_id WHERE v.sku = ANY($1)',
      skus,
    );
  }

  private async pairs(sql: string, keys: string[]): Promise<Map<string, string>> {
    if (keys.length === 0) return new Map();
    const rows: { key: string; value: string }[] = await this.dataSource.query(sql, [[...new Set(keys)]]);
    return new Map(rows.map((row) => [row.key, row.value]));
  }
}
