import { DEFAULT_ROUTES_FILE, parseRouteFile, readRouteFileSync, RouteFileError } from '../src/routing/route-file.js';
import { backendOverride } from '../src/routing/backend-override.js';

const table = (yaml: string) => parseRouteFile('routes.yaml', yaml);

const problemsOf = (yaml: string): string[] => {
  try {
    table(yaml);
  } catch (error) {
    if (error instanceof RouteFileError) return error.problems;
    throw error;
  }
  throw new Error('expected the file to be refused');
};

const ROUTES = `
routes:
  - name: product-view
    methods: [GET, HEAD]
    path: /index.php
    query: { route: product/view, id: ":id" }
    mode: api
    rewrite: /api/v1/products/:id
  - name: cart-add
    methods: POST
    path: /index.php
    query: { route: cart/add }
    mode: legacy
  - name: product-by-slug
    methods: GET
    path: /api/v1/products/:slug
    mode: api
  - name: assets
    methods: "*"
    path: /static/*
    mode: api
    rewrite: /assets/*
  - name: checkout
    methods: "*"
    path: /checkout.php
    mode: canary
    percent: 10
    group: funnel
`;

describe('route table: matching', () => {
  const routes = table(ROUTES);

  it('matches method, path and query parameters, first route wins', () => {
    expect(routes.resolve('GET', '/index.php?route=product/view&id=42')).toMatchObject({ route: 'product-view', backend: 'api' });
    expect(routes.resolve('HEAD', '/index.php?id=42&route=product%2Fview')).toMatchObject({ route: 'product-view' });
    expect(routes.resolve('POST', '/index.php?route=product/view&id=42')).toMatchObject({ route: null, backend: 'legacy' });
    expect(routes.resolve('POST', '/index.php?route=cart/add')).toMatchObject({ route: 'cart-add', mode: 'legacy', backend: 'legacy' });
    expect(routes.resolve('GET', '/index.php?route=cart/add')).toMatchObject({ route: null });
  });

  it('sends anything unmatched to legacy with its URL untouched', () => {
    for (const url of ['/', '/index.php', '/index.php?route=product/list', '/index.php?route=product/view', '/api/v1/products', '/api/v1/products/a/b']) {
      expect(routes.resolve('GET', url)).toEqual({ route: null, mode: 'legacy', backend: 'legacy', legacyUrl: url, apiUrl: url });
    }
    // A query capture needs a value.
    expect(routes.resolve('GET', '/index.php?route=product/view&id=').route).toBeNull();
  });

  it('rewrites to the API path, dropping the matched query parameters and keeping the others byte for byte', () => {
    expect(routes.resolve('GET', '/index.php?route=product/view&id=42').apiUrl).toBe('/api/v1/products/42');
    expect(routes.resolve('GET', '/index.php?utm=a%20b&route=product/view&id=42&cat[]=1').apiUrl).toBe('/api/v1/products/42?utm=a%20b&cat[]=1');
    // Captured values are encoded again, so they cannot add path segments.
    expect(routes.resolve('GET', '/index.php?route=product/view&id=a/../b%3F').apiUrl).toBe('/api/v1/products/a%2F..%2Fb%3F');
    expect(routes.resolve('GET', '/static/css/site%20main.css?v=3').apiUrl).toBe('/assets/css/site%20main.css?v=3');
  });

  it('reads query parameters as URLSearchParams does: first one wins, "+" is a space, escapes decoded, malformed ones kept', () => {
    const byId = table('routes: [{ name: item, methods: GET, path: /item, query: { "a b": ":id" }, mode: api, rewrite: "/items/:id" }]');
    const queries = ['a+b=1', 'a%20b=x%2Fy', 'a+b=1&a+b=2', '&&a+b=7&', 'x=1&a+b', 'a+b=%E0%A4%A&z', 'a+b==3', 'a%2Bb=4', 'a%20b=%ZZ%41+c', 'ab=5', 'a_b=6'];
    for (const query of queries) {
      const expected = new URLSearchParams(query).get('a b');
      const decision = byId.resolve('GET', `/item?${query}`);
      // An empty capture does not match; otherwise the rewrite carries the value URLSearchParams reads.
      if (!expected) expect(decision.route).toBeNull();
      else expect(decision.apiUrl.split('?')[0]).toBe(`/items/${encodeURIComponent(expected)}`);
    }
  });

  it('passes the URL unchanged to the API when an api route has no rewrite', () => {
    expect(routes.resolve('GET', '/api/v1/products/caf%C3%A9-mug?x=1')).toMatchObject({ route: 'product-by-slug', apiUrl: '/api/v1/products/caf%C3%A9-mug?x=1' });
    expect(routes.resolve('GET', '/api/v1/products/%E0%A4%A').route).toBeNull(); // malformed encoding never matches
  });

  it('leaves a canary to the shopper\'s bucket (legacy until then), its group defaulting to the route name', () => {
    expect(routes.resolve('DELETE', '/checkout.php')).toMatchObject({ route: 'checkout', mode: 'canary', backend: 'legacy', canary: { percent: 10, group: 'funnel' } });
    const own = table('routes: [{ name: cart, methods: GET, path: /cart, mode: canary, percent: 2.5 }]');
    expect(own.resolve('GET', '/cart').canary).toEqual({ percent: 2.5, group: 'cart' });
  });

  it('serves api-with-fallback from the API with the route\'s timeout, and shadow (not implemented yet) from legacy', () => {
    const modes = table(`
routes:
  - { name: list, methods: GET, path: /list, mode: api-with-fallback, timeoutMs: 1500 }
  - { name: mirror, methods: GET, path: /mirror, mode: shadow }
`);
    expect(modes.resolve('GET', '/list')).toMatchObject({ route: 'list', backend: 'api', timeoutMs: 1500 });
    expect(modes.resolve('GET', '/mirror')).toMatchObject({ route: 'mirror', backend: 'legacy' });
    expect(modes.resolve('GET', '/mirror').timeoutMs).toBeUndefined();
  });
});

describe('route table: validation', () => {
  it('accepts the shipped routes.yaml', () => {
    expect(readRouteFileSync(DEFAULT_ROUTES_FILE).table.routes.length).toBeGreaterThan(0);
  });

  it('accepts an empty list', () => {
    expect(table('routes: []').routes).toEqual([]);
  });

  it('names the entry and the field of every problem', () => {
    const problems = problemsOf(`
routes:
  - name: ok
    methods: GET
    path: /ok
    mode: legacy
  - name: typo
    methdos: GET
    path: /typo
    mode: apii
  - name: ok
    methods: [GET, FETCH]
    path: no-slash
    mode: api
  - methods: GET
    path: /a/*/b
    mode: api
    rewrite: /api/v1/:id
  - name: canary-without-percent
    methods: GET
    path: /c
    mode: canary
    percent: 150
  - just a string
`);
    expect(problems).toEqual([
      'routes[1] "typo": unknown field "methdos" (known: name, methods, path, query, mode, rewrite, percent, group, timeoutMs, shadow, breaker)',
      'routes[1] "typo": methods: required, a method, a list of methods, or "*" for any',
      'routes[1] "typo": mode: must be one of legacy, api, canary, shadow, api-with-fallback (got "apii")',
      'routes[2] "ok": methods: unknown FETCH (known: GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS, or "*")',
      'routes[2] "ok": path: "no-slash" must start with "/" and hold no query, fragment or spaces (match the query with "query")',
      'routes[2] "ok": name: "ok" is already used by routes[0]',
      'routes[3]: name: required, a non-empty string (got nothing)',
      'routes[3]: path: "*" may only be the last segment of "/a/*/b"',
      'routes[3]: rewrite: uses :id, which neither the path nor the query captures',
      'routes[4] "canary-without-percent": percent: mode canary needs a number from 0 to 100 (got 150)',
      'routes[5]: must be a mapping with name, methods, path and mode',
    ]);
  });

  it('keeps a rewrite on a legacy route (for the next cutover) but refuses canary fields on other modes', () => {
    expect(problemsOf('routes: [{ name: a, methods: GET, path: /a, mode: legacy, rewrite: /b, percent: 5 }]')).toEqual([
      'routes[0] "a": percent: only applies to mode canary',
    ]);
  });

  it('reserves the name "unmatched" for requests no route matched', () => {
    expect(problemsOf('routes: [{ name: unmatched, methods: GET, path: /a, mode: api }]')).toEqual([
      'routes[0] "unmatched": name: "unmatched" is reserved (the metrics\' label for requests no route matched)',
    ]);
  });

  it('refuses a timeout that is not a whole number of milliseconds up to ten minutes', () => {
    for (const bad of ['0', '2.5', '"5s"', '600001']) {
      expect(problemsOf(`routes: [{ name: a, methods: GET, path: /a, mode: api, timeoutMs: ${bad} }]`)).toEqual([
        `routes[0] "a": timeoutMs: must be a whole number of milliseconds from 1 to 600000 (got ${bad})`,
      ]);
    }
  });

  it('refuses files that are empty, not YAML, or not a route list', () => {
    expect(problemsOf('')).toEqual(['the file is empty (write `routes: []` for no routes)']);
    expect(problemsOf('routes: [unclosed')[0]).toMatch(/^not valid YAML: /);
    expect(problemsOf('routes:\n  - name: a\n    name: b\n')[0]).toMatch(/^not valid YAML: .*unique/i);
    expect(problemsOf('- name: a')).toEqual(['the file must be a mapping with a `routes` list']);
    expect(problemsOf('routes: {}\nextra: 1')).toEqual(['unknown top-level field "extra" (known: routes, killSwitch)', '`routes` must be a list']);
  });

  it('says which file is invalid', () => {
    expect(() => table('routes: 3')).toThrow('Route file routes.yaml is invalid:\n  - `routes` must be a list');
  });
});

describe('backend override', () => {
  it('takes the header first, then the cookie, and ignores other values', () => {
    expect(backendOverride({ 'x-ficus-backend': 'api' })).toBe('api');
    expect(backendOverride({ 'x-ficus-backend': 'Legacy', cookie: 'ficus_backend=api' })).toBe('legacy');
    expect(backendOverride({ cookie: 'PHPSESSID=1; ficus_backend=api; x=2' })).toBe('api');
    expect(backendOverride({ 'x-ficus-backend': 'both', cookie: 'ficus_backend=legacy' })).toBe('legacy');
    expect(backendOverride({ cookie: 'my_ficus_backend=api' })).toBeNull();
    expect(backendOverride({ cookie: 'ficus_backend=new' })).toBeNull();
    expect(backendOverride({})).toBeNull();
  });
});
