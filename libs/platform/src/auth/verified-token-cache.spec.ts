import { VerifiedTokenCache } from './verified-token-cache.js';

const user = (exp: number) => ({ userId: 'u', roles: ['customer'], exp });

describe('VerifiedTokenCache', () => {
  it('answers a remembered token until its expiry, then forgets it', () => {
    const cache = new VerifiedTokenCache();
    cache.set('Bearer a', user(1000));
    expect(cache.get('Bearer a', 999_000)?.userId).toBe('u');
    expect(cache.get('Bearer a', 1_000_000)).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('knows only the exact header it was given', () => {
    const cache = new VerifiedTokenCache();
    cache.set('Bearer a', user(2_000_000_000));
    expect(cache.get('Bearer a ')).toBeUndefined();
    expect(cache.get('bearer a')).toBeUndefined();
  });

  it('stays bounded, dropping the oldest entry first', () => {
    const cache = new VerifiedTokenCache();
    for (let i = 0; i <= 5000; i += 1) cache.set(`Bearer ${i}`, user(2_000_000_000));
    expect(cache.size).toBe(5000);
    expect(cache.get('Bearer 0')).toBeUndefined();
    expect(cache.get('Bearer 5000')).toBeDefined();
  });
});
