import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type DataSource, In } from 'typeorm';
import { type DomainEvent, EventPublisher, isUniqueViolation } from '#platform';
import { Brand } from './brand.entity.js';
import { Category } from './category.entity.js';
import { Product } from './product.entity.js';
import { ProductCategory } from './product-links.entity.js';

export type Saved<T> = T | 'slug-taken';

/** Brands and the category tree. */
@Injectable()
export class TaxonomyRepository {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly events: EventPublisher,
  ) {}

  listBrands(): Promise<Brand[]> {
    return this.dataSource.manager.find(Brand, { order: { name: 'ASC' } });
  }

  findBrand(idOrSlug: { id?: string; slug?: string }): Promise<Brand | null> {
    return this.dataSource.manager.findOneBy(Brand, idOrSlug);
  }

  findBrands(ids: string[]): Promise<Brand[]> {
    return ids.length ? this.dataSource.manager.findBy(Brand, { id: In(ids) }) : Promise.resolve([]);
  }

  saveBrand(brand: Pick<Brand, 'id' | 'slug' | 'name'>, event: DomainEvent): Promise<Saved<Brand>> {
    return this.write(async (tx) => {
      await tx.upsert(Brand, brand, ['id']);
      await this.events.publish(tx, event);
      return tx.findOneByOrFail(Brand, { id: brand.id });
    });
  }

  /** False when products still use the brand. */
  async deleteBrand(id: string, event: DomainEvent): Promise<boolean> {
    return this.dataSource.transaction(async (tx) => {
      if (await tx.existsBy(Product, { brandId: id })) return false;
      await tx.delete(Brand, { id });
      await this.events.publish(tx, event);
      return true;
    });
  }

  allCategories(): Promise<Category[]> {
    return this.dataSource.manager.find(Category, { order: { position: 'ASC', name: 'ASC' } });
  }

  findCategory(where: { id?: string; slug?: string }): Promise<Category | null> {
    return this.dataSource.manager.findOneBy(Category, where);
  }

  findCategories(ids: string[]): Promise<Category[]> {
    return ids.length ? this.dataSource.manager.findBy(Category, { id: In(ids) }) : Promise.resolve([]);
  }

  createCategory(category: Pick<Category, 'id' | 'parentId' | 'slug' | 'name' | 'position' | 'path'>, event: DomainEvent): Promise<Saved<Category>> {
    return this.write(async (tx) => {
      await tx.insert(Category, category);
      await this.events.publish(tx, event);
      return tx.findOneByOrFail(Category, { id: category.id });
    });
  }

  /** Updates a category; a new path moves its whole subtree with it (one prefix rewrite). */
  updateCategory(
    id: string,
    change: Partial<Pick<Category, 'parentId' | 'slug' | 'name' | 'position' | 'path'>>,
    oldPath: string,
    event: DomainEvent,
  ): Promise<Saved<Category>> {
    return this.write(async (tx) => {
      await tx.update(Category, { id }, change);
      if (change.path && change.path !== oldPath) {
        await tx.query(
          `UPDATE catalog.categories SET path = $1 || substr(path, length($2) + 1) WHERE path LIKE $3`,
          [change.path, oldPath, `${oldPath}/%`],
        );
      }
      await this.events.publish(tx, event);
      return tx.findOneByOrFail(Category, { id });
    });
  }

  /** 'has-children' or 'has-products' when the category is still in use. */
  async deleteCategory(category: Category, event: DomainEvent): Promise<true | 'has-children' | 'has-products'> {
    return this.dataSource.transaction(async (tx) => {
      if (await tx.existsBy(Category, { parentId: category.id })) return 'has-children';
      if (await tx.existsBy(ProductCategory, { categoryId: category.id })) return 'has-products';
      await tx.delete(Category, { id: category.id });
      await this.events.publish(tx, event);
      return true;
    });
  }

  private async write<T>(work: (tx: DataSource['manager']) => Promise<T>): Promise<Saved<T>> {
    try {
      return await this.dataSource.transaction(work);
    } catch (error) {
      if (isUniqueViolation(error)) return 'slug-taken';
      throw error;
    }
  }
}
