import { DomainError } from '#platform';

export class SlugTakenError extends DomainError {
  constructor(kind: string, slug: string) {
    super('CATALOG.SLUG_TAKEN', 'conflict', `Another ${kind} already uses the slug "${slug}"`, { slug });
  }
}

export class SkuTakenError extends DomainError {
  constructor(sku: string) {
    super('CATALOG.SKU_TAKEN', 'conflict', `Another variant already uses the SKU "${sku}"`, { sku });
  }
}

export class NotFoundInCatalogError extends DomainError {
  constructor(kind: 'product' | 'category' | 'brand' | 'variant', key: string) {
    super(`CATALOG.${kind.toUpperCase()}_NOT_FOUND`, 'not_found', `No ${kind} ${key}`);
  }
}

export class CategoryInUseError extends DomainError {
  constructor(detail: string) {
    super('CATALOG.CATEGORY_IN_USE', 'conflict', detail);
  }
}

export class InvalidCategoryMoveError extends DomainError {
  constructor() {
    super('CATALOG.INVALID_CATEGORY_MOVE', 'conflict', 'A category cannot move under itself or one of its descendants');
  }
}

export class BrandInUseError extends DomainError {
  constructor() {
    super('CATALOG.BRAND_IN_USE', 'conflict', 'Products still use this brand; move or archive them first');
  }
}
