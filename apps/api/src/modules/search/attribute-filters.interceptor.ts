import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';

const ATTRIBUTE_PREFIX = 'attr.';

/** The query string with every `attr.<name>` parameter gathered into `attributes: { <name>: values }`. */
export function gatherAttributes(query: Record<string, unknown>): Record<string, unknown> {
  const rest: Record<string, unknown> = {};
  const attributes: Record<string, unknown[]> = {};
  for (const [key, value] of Object.entries(query)) {
    if (!key.startsWith(ATTRIBUTE_PREFIX)) {
      rest[key] = value;
      continue;
    }
    const values = (Array.isArray(value) ? value : [value]).flatMap((v) => (typeof v === 'string' ? v.split(',') : [v]));
    attributes[key.slice(ATTRIBUTE_PREFIX.length)] = values.map((v) => (typeof v === 'string' ? v.trim() : v)).filter((v) => v !== '');
  }
  return Object.keys(attributes).length > 0 ? { ...rest, attributes } : rest;
}

/**
 * Interceptors run before pipes: the global ValidationPipe, which refuses unknown properties,
 * then sees `attributes` (validated by the DTO) instead of open-ended `attr.*` names.
 */
@Injectable()
export class AttributeFiltersInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler) {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    request.query = gatherAttributes({ ...(request.query as Record<string, unknown>) });
    return next.handle();
  }
}
