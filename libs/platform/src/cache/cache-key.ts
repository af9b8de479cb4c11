/**
 * A cache key from a query object that does not depend on how the caller built the object: keys
 * sorted at every level, `undefined` values dropped. Array order is kept (sort arrays whose order
 * does not matter before calling).
 *
 * `cacheKey('catalog:products', { page: 2, category: 'mugs', q: undefined })`
 * → `catalog:products:{"category":"mugs","page":2}`
 */
export function cacheKey(namespace: string, query: object = {}): string {
  return `${namespace}:${JSON.stringify(normalise(query))}`;
}

function normalise(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(normalise);
  if (value === null || typeof value !== 'object' || value instanceof Date) return value;
  const record = value as Record<string, unknown>;
  return Object.fromEntries(
    Object.keys(record)
      .filter((key) => record[key] !== undefined)
      .sort()
      .map((key) => [key, normalise(record[key])]),
  );
}
