import { Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * The words of product, brand and category names (as the 'simple' configuration stores them):
 * the vocabulary "did you mean" corrects against. Words of removed products stay; a correction is
 * only used when it finds more than the original query, so a stale word costs nothing.
 */
@Entity({ schema: 'search', name: 'terms' })
@Index('IDX_search_terms_trgm', { synchronize: false })
export class SearchTermRow {
  @PrimaryColumn({ type: 'varchar', length: 100 })
  term!: string;
}
