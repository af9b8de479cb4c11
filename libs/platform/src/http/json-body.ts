import { HttpException } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';

/** Deepest nesting of objects and arrays a JSON body may have; our bodies need a handful of levels. */
export const MAX_JSON_DEPTH = 64;
export const JSON_TOO_DEEP = 'FICUS_ERR_JSON_TOO_DEEP';

/** The nesting depth of a parsed JSON value, walked without recursion; stops once past `limit`. */
export function jsonDepthExceeds(value: unknown, limit: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (node === null || typeof node !== 'object') continue;
    if (depth + 1 > limit) return true;
    for (const child of Array.isArray(node) ? node : Object.values(node)) if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
  }
  return false;
}

/**
 * Fastify's own JSON parser (prototype poisoning refused), then a depth check: every later step
 * that walks a body (validation, the idempotency fingerprint) recurses, and a body nested
 * thousands deep would exhaust the stack there (a 500) instead of being refused here (a 400).
 * Registered through Nest's `useBodyParser`, which then adds no JSON parser of its own.
 */
export function useJsonBodyParser(app: NestFastifyApplication, bodyLimit: number): void {
  const parse = app.getHttpAdapter().getInstance().getDefaultJsonParser('error', 'error');
  app.useBodyParser('application/json', { bodyLimit }, (request, body, done) => {
    parse(request as Parameters<typeof parse>[0], body.toString('utf8'), (error: Error | null, value?: unknown) => {
      if (error) return done(error, undefined);
      if (jsonDepthExceeds(value, MAX_JSON_DEPTH)) {
        // Named by its cause's code, as Fastify's own body errors are (problem-mapper.ts).
        return done(new HttpException(`The JSON body is nested deeper than ${MAX_JSON_DEPTH} levels`, 400, { cause: { code: JSON_TOO_DEEP } }), undefined);
      }
      done(null, value);
    });
  });
}
