import { createParamDecorator, type ExecutionContext, type PipeTransform } from '@nestjs/common';
import { createValidationPipe, RequestValidationException } from '#platform';
import type { ListProductsQuery } from './list-products.query.js';

const ATTRIBUTE_PARAM = /^attr\.(.+)$/;

/** `attr.color=red,blue&attr.size=M` -> `attributes: { color: ['red', 'blue'], size: ['M'] }`. */
function gatherAttributes(_: unknown, context: ExecutionContext): Record<string, unknown> {
  const raw = { ...(context.switchToHttp().getRequest<{ query: Record<string, unknown> }>().query ?? {}) };
  const attributes: Record<string, string[]> = {};
  for (const [key, value] of Object.entries(raw)) {
    const name = ATTRIBUTE_PARAM.exec(key)?.[1];
    if (name === undefined) continue;
    delete raw[key];
    const values = (Array.isArray(value) ? value : [value]).flatMap((v) => String(v).split(',')).map((v) => v.trim()).filter(Boolean);
    attributes[name] = [...new Set([...(attributes[name] ?? []), ...values])];
  }
  return Object.keys(attributes).length ? { ...raw, attributes } : raw;
}

class PriceRangePipe implements PipeTransform<ListProductsQuery> {
  transform(query: ListProductsQuery): ListProductsQuery {
    if (query.minPrice !== undefined && query.maxPrice !== undefined && query.minPrice > query.maxPrice) {
      throw new RequestValidationException([{ field: 'minPrice', message: 'minPrice must not be greater than maxPrice' }]);
    }
    return query;
  }
}

/** The listing query, validated like a body (unknown parameters refused), with attr.* gathered first. */
export const ProductQuery = () =>
  createParamDecorator(gatherAttributes)(createValidationPipe({ validateCustomDecorators: true }), new PriceRangePipe());
