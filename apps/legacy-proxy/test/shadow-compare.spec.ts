import { compareAnswers, type ShadowAnswer } from '../src/shadow/shadow-comparer.js';
import { REDACTED, redact, redactUrl } from '../src/shadow/redact.js';
import { DEFAULT_SHADOW_RULES, type ShadowRules, validateShadowRules } from '../src/shadow/shadow-rules.js';

const json = (value: unknown, status = 200): ShadowAnswer => ({ status, contentType: 'application/json; charset=utf-8', body: Buffer.from(JSON.stringify(value)) });
const html = (text: string, status = 200): ShadowAnswer => ({ status, contentType: 'text/html; charset=UTF-8', body: Buffer.from(text) });
const rules = (value: unknown): ShadowRules => {
  const problems: string[] = [];
  const result = validateShadowRules(value, problems);
  expect(problems).toEqual([]);
  return result!;
};

describe('shadow comparison', () => {
  const legacy = { id: 7, name: 'Mug', price_cents: 1250, updated_at: '2026-11-01T10:00:00Z', tags: ['red', 'ceramic'], images: [{ url: '/a.jpg', token: 'x1' }] };

  it('matches JSON structurally: key order and white space do not count', () => {
    const reordered: ShadowAnswer = { ...json({}), body: Buffer.from(`{ "tags": ["red","ceramic"], "name": "Mug", "id": 7, "price_cents": 1250, "updated_at": "2026-11-01T10:00:00Z", "images": [{"token":"x1","url":"/a.jpg"}] }`) };
    expect(compareAnswers(DEFAULT_SHADOW_RULES, json(legacy), reordered)).toEqual({ match: true, differences: [] });
  });

  it('names each difference by its path and kind', () => {
    const api = { ...legacy, price_cents: 1300, name: undefined, extra: true };
    expect(compareAnswers(DEFAULT_SHADOW_RULES, json(legacy), json(api))).toEqual({
      match: false,
      kind: 'body',
      differences: [
        { path: '$.name', kind: 'missing in api', legacy: 'Mug' },
        { path: '$.price_cents', kind: 'changed', legacy: 1250, api: 1300 },
        { path: '$.extra', kind: 'only in api', api: true },
      ],
    });
  });

  it('leaves out ignored keys (anywhere) and $-paths (with wildcards), and compares listed arrays in any order', () => {
    const api = { ...legacy, id: 'b0c1', updated_at: 'now', tags: ['ceramic', 'red'], images: [{ url: '/a.jpg', token: 'other' }] };
    expect(compareAnswers(DEFAULT_SHADOW_RULES, json(legacy), json(api)).match).toBe(false);
    const lenient = rules({ ignore: ['updated_at', '$.id', '$.images[*].token'], unorderedArrays: ['$.tags'] });
    expect(compareAnswers(lenient, json(legacy), json(api))).toEqual({ match: true, differences: [] });
    // Order still counts where not listed, and an ignored key is ignored only where the rule says.
    const notListed = rules({ ignore: ['updated_at', '$.id', '$.images[*].token'] });
    expect(compareAnswers(notListed, json(legacy), json(api)).differences.map((d) => d.path)).toEqual(['$.tags[0]', '$.tags[1]']);
    expect(compareAnswers(lenient, json(legacy), json({ ...api, images: [{ url: '/b.jpg', token: 'x' }] })).differences).toEqual([
      { path: '$.images[0].url', kind: 'changed', legacy: '/a.jpg', api: '/b.jpg' },
    ]);
  });

  it('sorts unordered arrays of objects by their content once ignored fields are left out', () => {
    const lenient = rules({ ignore: ['$.items[*].id'], unorderedArrays: true });
    const a = { items: [{ id: 1, sku: 'A' }, { id: 2, sku: 'B' }] };
    const b = { items: [{ id: 'x', sku: 'B' }, { id: 'y', sku: 'A' }] };
    expect(compareAnswers(lenient, json(a), json(b)).match).toBe(true);
  });

  it('compares the status first', () => {
    expect(compareAnswers(DEFAULT_SHADOW_RULES, json(legacy), json(legacy, 404))).toMatchObject({ match: false, kind: 'status', differences: [{ path: 'status', legacy: 200, api: 404 }] });
    expect(compareAnswers(rules({ compare: 'status' }), json(legacy), json({ other: 1 })).match).toBe(true);
  });

  it('compares selected fields: a regex over legacy\'s HTML against a $-path in the API\'s JSON', () => {
    const page = '<h1 class="name">Mug &amp; Saucer</h1>\n<span class="price">12.50</span>';
    const fields = rules({ fields: { name: { legacy: '<h1 class="name">([^<]*)</h1>', api: '$.name' }, price: { legacy: 'class="price">([^<]*)<', api: '$.price' } } });
    expect(compareAnswers(fields, html(page), json({ name: 'Mug & Saucer', price: '12.50', id: 'whatever' }))).toEqual({ match: true, differences: [] });
    expect(compareAnswers(fields, html(page), json({ name: 'Mug & Saucer', price: '12.5' }))).toEqual({
      match: false,
      kind: 'fields',
      differences: [{ path: 'fields.price', kind: 'changed', legacy: ['12.50'], api: ['12.5'] }],
    });
  });

  it('compares other bodies as text and shows where they part', () => {
    const result = compareAnswers(DEFAULT_SHADOW_RULES, html('<p>same start, then legacy</p>'), html('<p>same start, then api</p>'));
    expect(result).toMatchObject({ match: false, kind: 'body', differences: [{ path: 'body (from character 20)' }] });
  });

  it('refuses bad rules naming the field', () => {
    const problems: string[] = [];
    validateShadowRules({ methods: ['POST'], ignore: ['$.a[', 'ok'], unorderedArrays: ['items'], fields: { x: { legacy: '(' , api: '$.x' } }, extra: 1 }, problems);
    expect(problems).toEqual([
      'shadow.unknown field "extra" (known: methods, compare, ignore, unorderedArrays, fields)',
      'shadow.methods: POST cannot be mirrored (only GET, HEAD, OPTIONS: a shadow copy never repeats a change)',
      'shadow.ignore: "$.a[" is not a path of the form $.key, $.list[*].key or $.list[0] (at "[")',
      'shadow.unorderedArrays: "items" must be a $-path (or true for every array)',
      expect.stringMatching(/^shadow\.fields\.x\.legacy: "\(" is neither a \$-path nor a valid regular expression/),
    ]);
  });
});

describe('sample redaction', () => {
  it('blanks secret-looking keys, masks e-mail addresses and long numbers, cuts long text', () => {
    expect(redact({ email: 'eve@example.com', note: 'mail eve@example.com, card 4111111111111111', csrf_token: 'abc', nested: { password: 'p' }, long: 'x'.repeat(100) })).toEqual({
      email: REDACTED,
      note: 'mail ***@***, card **************11',
      csrf_token: REDACTED,
      nested: { password: REDACTED },
      long: `${'x'.repeat(80)}…(100 chars)`,
    });
    expect(redactUrl('/index.php?route=api/cart&token=s3cret&id=5')).toBe('/index.php?route=api%2Fcart&token=%5Bredacted%5D&id=5');
  });
});
