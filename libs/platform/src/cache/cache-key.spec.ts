import { cacheKey } from './cache-key.js';

describe('cacheKey', () => {
  it('does not depend on the order of keys, at any depth, and drops undefined values', () => {
    const a = cacheKey('catalog:products', { page: 2, filter: { color: 'red', size: 'M' }, q: undefined });
    const b = cacheKey('catalog:products', { filter: { size: 'M', color: 'red' }, page: 2 });
    expect(a).toBe(b);
    expect(a).toBe('catalog:products:{"filter":{"color":"red","size":"M"},"page":2}');
  });

  it('keeps array order, null and types apart', () => {
    expect(cacheKey('k', { ids: [2, 1] })).not.toBe(cacheKey('k', { ids: [1, 2] }));
    expect(cacheKey('k', { page: null })).not.toBe(cacheKey('k', {}));
    expect(cacheKey('k', { page: 1 })).not.toBe(cacheKey('k', { page: '1' }));
    expect(cacheKey('k')).toBe('k:{}');
  });
});
