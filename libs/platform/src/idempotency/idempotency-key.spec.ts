import { fingerprintOf, parseIdempotencyKey } from './idempotency-key.js';
import { MalformedIdempotencyKeyError } from './idempotency.errors.js';

describe('parseIdempotencyKey', () => {
  it('takes a bare token or the structured-field string form, and nothing else', () => {
    expect(parseIdempotencyKey(undefined)).toBeUndefined();
    expect(parseIdempotencyKey('8e03978e-40d5-43e8-bc93-6894a57f9324')).toBe('8e03978e-40d5-43e8-bc93-6894a57f9324');
    expect(parseIdempotencyKey('"8e03978e-40d5"')).toBe('8e03978e-40d5');
    expect(parseIdempotencyKey('"a\\"b"')).toBe('a"b');
    expect(parseIdempotencyKey('x'.repeat(255))).toHaveLength(255);
    for (const bad of ['', '""', 'x'.repeat(256), 'two words', '"open', 'tab\tkey', 'clé', ['a', 'b']]) {
      expect(() => parseIdempotencyKey(bad)).toThrow(MalformedIdempotencyKeyError);
    }
  });
});

describe('fingerprintOf', () => {
  it('is the same for the same JSON whatever the key order, and differs for other content', () => {
    expect(fingerprintOf({ a: 1, b: { c: [1, { e: 2, d: 3 }] } })).toBe(fingerprintOf({ b: { c: [1, { d: 3, e: 2 }] }, a: 1 }));
    expect(fingerprintOf({ a: 1 })).not.toBe(fingerprintOf({ a: 2 }));
    expect(fingerprintOf([1, 2])).not.toBe(fingerprintOf([2, 1]));
    expect(fingerprintOf(undefined)).toBe(fingerprintOf(null));
    expect(fingerprintOf('a,b\n1,2')).toMatch(/^[0-9a-f]{64}$/);
  });
});
