import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/**
 * A node of the category tree. `path` is the ids from the root down to this node joined by '/',
 * so a subtree is one indexed prefix match and breadcrumbs need no recursion.
 */
@Entity({ schema: 'catalog', name: 'categories' })
export class Category {
  @PrimaryColumn('uuid')
  id!: string;

  @Column({ name: 'parent_id', type: 'uuid', nullable: true })
  parentId!: string | null;

  @Index('UQ_catalog_categories_slug', { unique: true })
  @Column({ type: 'varchar', length: 120 })
  slug!: string;

  @Column({ type: 'varchar', length: 120 })
  name!: string;

  @Column({ type: 'integer', default: 0 })
  position!: number;

  // C collation: a plain b-tree index then serves `path LIKE 'prefix/%'` (subtree) lookups.
  @Index('IDX_catalog_categories_path')
  @Column({ type: 'text', collation: 'C' })
  path!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
