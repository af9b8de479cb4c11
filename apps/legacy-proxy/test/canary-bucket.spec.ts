import { chooseBackend } from '../src/routing/backend-choice.js';
import { canaryBucket, inCanary } from '../src/routing/canary-bucket.js';
import type { RoutingDecision } from '../src/routing/route-table.js';
import { bucketCookie, shopperId } from '../src/routing/shopper-id.js';

const ids = Array.from({ length: 2000 }, (_, i) => `shopper-${i}`);
const share = (group: string, percent: number) => ids.filter((id) => inCanary(canaryBucket(id, group), percent)).length / ids.length;
const token = (payload: object) => `Bearer eyJhbGciOiJSUzI1NiJ9.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.c2ln`;

describe('canary bucket', () => {
  it('is stable for a shopper and group, between 0 and 100', () => {
    for (const id of ids.slice(0, 50)) {
      const bucket = canaryBucket(id, 'funnel');
      expect(canaryBucket(id, 'funnel')).toBe(bucket);
      expect(bucket).toBeGreaterThanOrEqual(0);
      expect(bucket).toBeLessThan(100);
    }
  });

  it('sends about the configured share to the API, none at 0 and all at 100', () => {
    expect(share('funnel', 30)).toBeGreaterThan(0.27);
    expect(share('funnel', 30)).toBeLessThan(0.33);
    expect(share('funnel', 0)).toBe(0);
    expect(share('funnel', 100)).toBe(1);
  });

  it('raising the percentage keeps everyone already on the API there, and adds only shoppers', () => {
    const at = (percent: number) => new Set(ids.filter((id) => inCanary(canaryBucket(id, 'funnel'), percent)));
    const before = at(10);
    const after = at(25);
    expect([...before].every((id) => after.has(id))).toBe(true);
    expect(after.size).toBeGreaterThan(before.size);
  });

  it('splits groups independently', () => {
    const inA = ids.filter((id) => inCanary(canaryBucket(id, 'a'), 50));
    const inBoth = inA.filter((id) => inCanary(canaryBucket(id, 'b'), 50));
    // Independent halves overlap by about a quarter, not a half.
    expect(inBoth.length / ids.length).toBeGreaterThan(0.2);
    expect(inBoth.length / ids.length).toBeLessThan(0.3);
  });
});

describe('shopper id', () => {
  it('takes the bucket cookie first, then the unverified token subject, else makes a new id', () => {
    const cookie = 'AbCdEfGhIjKlMnOpQrStUv';
    expect(shopperId({ cookie: `PHPSESSID=1; ficus_bucket=${cookie}`, authorization: token({ sub: 'u1' }) })).toEqual({ id: cookie, source: 'cookie' });
    expect(shopperId({ authorization: token({ sub: 'u1' }) })).toEqual({ id: 'sub:u1', source: 'token' });
    const fresh = shopperId({ cookie: 'ficus_bucket=short', authorization: 'Bearer not-a-jwt' });
    expect(fresh.source).toBe('new');
    expect(fresh.id).toMatch(/^[\w-]{22}$/);
    expect(shopperId({}).id).not.toBe(fresh.id);
    expect(shopperId({ authorization: token({ sub: 42 }) }).source).toBe('new');
  });

  it('sets a long-lived, HttpOnly, SameSite=Lax cookie, Secure over HTTPS', () => {
    expect(bucketCookie('abc', false)).toBe('ficus_bucket=abc; Path=/; Max-Age=34560000; HttpOnly; SameSite=Lax');
    expect(bucketCookie('abc', true)).toMatch(/; Secure$/);
  });
});

describe('backend choice', () => {
  const canary = (percent: number): RoutingDecision => ({
    route: 'cart', mode: 'canary', backend: 'legacy', legacyUrl: '/c', apiUrl: '/c', canary: { percent, group: 'funnel' },
  });

  it('lets the override win over the bucket', () => {
    expect(chooseBackend(canary(100), { 'x-ficus-backend': 'legacy' })).toEqual({ backend: 'legacy', forced: true });
    expect(chooseBackend(canary(0), { cookie: 'ficus_backend=api' })).toEqual({ backend: 'api', forced: true });
  });

  it('asks for a cookie only for a shopper without one', () => {
    expect(chooseBackend(canary(100), {})).toMatchObject({ backend: 'api', newShopperId: expect.any(String) });
    expect(chooseBackend(canary(0), { cookie: 'ficus_bucket=AbCdEfGhIjKlMnOpQrStUv' })).toEqual({ backend: 'legacy', forced: false });
  });
});
