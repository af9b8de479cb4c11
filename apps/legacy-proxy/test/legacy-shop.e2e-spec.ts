// The real legacy PHP shop (docker/legacy-php, under `php -S`) on a fresh PostgreSQL database:
// its pages, JSON endpoints, session login and cart, checkout, and the same shop behind the proxy.
import { body, createTestDatabase, eventually, type LegacyShop, startLegacyShop, type TestDatabase } from '#testing';
import { deadUrl, type RunningProxy, startProxy, startUpstream } from './proxy-harness.js';

const DEMO_PASSWORD = 'shop-demo-1';
const ACTIVE_PRODUCTS = 196; // 200 seeded, 4 inactive

/** A browser of one shopper: keeps the cookies it is given, never follows redirects by itself. */
class Shopper {
  readonly cookies = new Map<string, string>();
  constructor(private readonly baseUrl: string) {}

  async get(path: string): Promise<Response> {
    return this.send(path, { method: 'GET' });
  }

  async post(path: string, form: Record<string, string>): Promise<Response> {
    return this.send(path, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form).toString() });
  }

  /** GET a page and return the form token in it. */
  async csrfFrom(path: string): Promise<string> {
    const page = await this.get(path);
    expect(page.status).toBe(200);
    return csrfToken(await page.text());
  }

  async logIn(email: string, password = DEMO_PASSWORD): Promise<Response> {
    const csrf_token = await this.csrfFrom('/index.php?route=account/login');
    return this.post('/index.php?route=account/login', { csrf_token, email, password });
  }

  async addToCart(productId: number, quantity: number): Promise<Response> {
    const csrf_token = await this.csrfFrom(`/index.php?route=product/view&id=${productId}`);
    return this.post('/index.php?route=cart/add', { csrf_token, product_id: String(productId), quantity: String(quantity) });
  }

  async cart(): Promise<CartJson> {
    const response = await this.get('/index.php?route=api/cart');
    expect(response.status).toBe(200);
    return (await body(response)) as CartJson;
  }

  private async send(path: string, init: RequestInit): Promise<Response> {
    const cookie = [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    const response = await fetch(`${this.baseUrl}${path}`, { ...init, redirect: 'manual', headers: { ...(init.headers as Record<string, string>), ...(cookie ? { cookie } : {}) } });
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const [name, value] = pair!.split('=');
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(line)) this.cookies.delete(name!);
      else this.cookies.set(name!, value!);
    }
    return response;
  }
}

interface CartJson {
  items: Array<{ product_id: number; sku: string; name: string; quantity: number; unit_price_cents: number; line_total_cents: number }>;
  item_count: number;
  total_cents: number;
  currency: string;
  customer: { id: number; email: string } | null;
}

function csrfToken(html: string): string {
  const match = /name="csrf_token" value="([0-9a-f]{64})"/.exec(html);
  if (!match) throw new Error(`no csrf_token in the page:\n${html.slice(0, 500)}`);
  return match[1]!;
}

const productCards = (html: string) => [...html.matchAll(/<li class="product" data-product-id="(\d+)" data-sku="([^"]+)">/g)].map((m) => ({ id: Number(m[1]), sku: m[2]! }));

describe('legacy PHP shop (php -S on PostgreSQL)', () => {
  let db: TestDatabase;
  let shop: LegacyShop;
  const productBySku = async (sku: string) =>
    (await db.query('SELECT id, name, price_cents, stock FROM legacy.products WHERE sku = $1', [sku])).rows[0] as { id: number; name: string; price_cents: number; stock: number };

  beforeAll(async () => {
    db = await createTestDatabase({ migrated: false });
    shop = await startLegacyShop({ databaseUrl: db.url });
  });
  afterAll(async () => {
    await shop?.close();
    await db?.drop();
  });

  describe('catalog pages', () => {
    it('lists active products by name, 24 a page, with pagination links', async () => {
      const response = await fetch(`${shop.url}/index.php?route=product/list`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('text/html; charset=UTF-8');
      expect(response.headers.getSetCookie()[0]).toMatch(/^PHPSESSID=[\w-]+; path=\/; HttpOnly; SameSite=Lax$/);
      const html = await response.text();
      const expected = (await db.query('SELECT id, sku, name FROM legacy.products WHERE active ORDER BY name, id LIMIT 24')).rows;
      expect(productCards(html)).toEqual(expected.map(({ id, sku }) => ({ id, sku })));
      expect(html).toContain(expected[0].name);
      expect(html).toContain(`${ACTIVE_PRODUCTS} products · page 1 of 9`);
      expect(html).toContain('href="/index.php?route=product/list&amp;page=2"');

      // A page past the end is empty; a page number past any sense shows the first page.
      expect(await (await fetch(`${shop.url}/index.php?route=product/list&page=10`)).text()).toContain('No products found.');
      expect(productCards(await (await fetch(`${shop.url}/index.php?route=product/list&page=999999999999999999`)).text())).toEqual(productCards(html));

      const last = await (await fetch(`${shop.url}/index.php?route=product/list&page=9`)).text();
      expect(productCards(last)).toHaveLength(ACTIVE_PRODUCTS - 8 * 24);
      expect(last).toContain('rel="prev"');
      expect(last).not.toContain('rel="next"');
    });

    it('filters by category, including its sub-categories, and 404s an unknown one', async () => {
      const books = productCards(await (await fetch(`${shop.url}/index.php?route=product/list&category=books`)).text());
      expect(books.length).toBe(24);
      expect(books.every((p) => p.sku.startsWith('BOO-'))).toBe(true);

      const home = await (await fetch(`${shop.url}/index.php?route=product/list&category=home`)).text();
      expect(home).toContain('74 products'); // kitchen 25 + garden 25 + decor 24 active
      expect(new Set(productCards(home).map((p) => p.sku.slice(0, 3)))).toEqual(new Set(['KIT', 'DEC', 'GAR']));

      const unknown = await fetch(`${shop.url}/index.php?route=product/list&category=nope`);
      expect(unknown.status).toBe(404);
      expect(await unknown.text()).toContain('There is no such category.');
    });

    it('shows a product page with its price, stock and an add-to-cart form; inactive or unknown ids are 404', async () => {
      const mug = await productBySku('KIT-0001');
      const response = await fetch(`${shop.url}/index.php?route=product/view&id=${mug.id}`);
      expect(response.status).toBe(200);
      const html = await response.text();
      expect(html).toContain('<h1>Classic Café Mug</h1>');
      expect(html).toContain('SKU: KIT-0001');
      expect(html).toContain(`€${(mug.price_cents / 100).toFixed(2)}`);
      expect(html).toContain(`${mug.stock} in stock`);
      expect(html).toMatch(/<form action="\/index.php\?route=cart\/add" method="post" id="add-to-cart">/);
      expect(csrfToken(html)).toHaveLength(64);

      const inactive = (await db.query('SELECT id FROM legacy.products WHERE NOT active LIMIT 1')).rows[0].id;
      for (const id of [inactive, 999999, 2147483648, '99999999999999999999', 'abc', '', '-1']) {
        const missing = await fetch(`${shop.url}/index.php?route=product/view&id=${id}`);
        expect([id, missing.status]).toEqual([id, 404]);
        await missing.text();
      }
    });

    it('searches name, SKU and description', async () => {
      const html = await (await fetch(`${shop.url}/index.php?route=product/search&q=caf%C3%A9+mug`)).text();
      const found = productCards(html);
      expect(found.length).toBe(5);
      expect(found.every((p) => p.sku.startsWith('KIT-'))).toBe(true);
      expect(productCards(await (await fetch(`${shop.url}/index.php?route=product/search&q=tec-0008`)).text()).map((p) => p.sku)).toEqual(['TEC-0008']);
    });

    it('answers an unknown route with a 404 page, and an unknown api route with 404 JSON', async () => {
      const page = await fetch(`${shop.url}/index.php?route=admin/secret`);
      expect(page.status).toBe(404);
      expect(page.headers.get('content-type')).toBe('text/html; charset=UTF-8');
      expect(await page.text()).toContain('<h1>Page not found</h1>');

      const api = await fetch(`${shop.url}/index.php?route=api/nope`);
      expect(api.status).toBe(404);
      expect(await body(api)).toEqual({ error: 'not_found', message: 'The page you are looking for does not exist.' });

      // No route at all is the home page.
      const home = await fetch(`${shop.url}/`);
      expect(home.status).toBe(200);
      expect(await home.text()).toContain('Welcome to Ficus Shop');
    });
  });

  describe('JSON endpoints', () => {
    it('api/health reports the database', async () => {
      const response = await fetch(`${shop.url}/index.php?route=api/health`);
      expect(response.status).toBe(200);
      expect(response.headers.getSetCookie()).toEqual([]);
      expect(await body(response)).toEqual({ status: 'ok', database: 'up' });
    });

    it('api/products pages through the catalog with totals', async () => {
      const response = await fetch(`${shop.url}/index.php?route=api/products&page=2&per_page=5`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('application/json; charset=UTF-8');
      const page = await body(response);
      expect(page).toMatchObject({ total: ACTIVE_PRODUCTS, page: 2, per_page: 5, pages: 40 });
      const expected = (await db.query('SELECT sku FROM legacy.products WHERE active ORDER BY name, id OFFSET 5 LIMIT 5')).rows.map((r) => r.sku);
      expect(page.items.map((p: { sku: string }) => p.sku)).toEqual(expected);
      expect(page.items[0]).toEqual({
        id: expect.any(Number),
        sku: expect.stringMatching(/^[A-Z]{3}-\d{4}$/),
        name: expect.any(String),
        description: expect.any(String),
        price_cents: expect.any(Number),
        currency: 'EUR',
        stock: expect.any(Number),
        in_stock: expect.any(Boolean),
        category: { id: expect.any(Number), slug: expect.any(String), name: expect.any(String) },
        url: `/index.php?route=product/view&id=${page.items[0].id}`,
      });

      const all = await body(await fetch(`${shop.url}/index.php?route=api/products&per_page=100&page=2&category=tech`));
      expect(all).toMatchObject({ total: 24, page: 2, pages: 1, items: [] });

      for (const bad of ['page=0', 'page=x', 'page=100001', 'page=999999999999999999', 'per_page=101', 'per_page=-1']) {
        const response = await fetch(`${shop.url}/index.php?route=api/products&${bad}`);
        expect([bad, response.status]).toEqual([bad, 400]);
        expect((await body(response)).error).toBe('bad_request');
      }
    });

    it('api/product returns one product, 404 for an unknown id and 400 for a malformed one', async () => {
      const mug = await productBySku('KIT-0001');
      const response = await fetch(`${shop.url}/index.php?route=api/product&id=${mug.id}`);
      expect(response.status).toBe(200);
      expect(await body(response)).toMatchObject({ id: mug.id, sku: 'KIT-0001', name: 'Classic Café Mug', price_cents: mug.price_cents, category: { slug: 'kitchen' } });

      const missing = await fetch(`${shop.url}/index.php?route=api/product&id=999999`);
      expect(missing.status).toBe(404);
      expect((await body(missing)).error).toBe('not_found');
      for (const id of ['1.5', '2147483648', '-1']) {
        const malformed = await fetch(`${shop.url}/index.php?route=api/product&id=${id}`);
        expect([id, malformed.status]).toEqual([id, 400]);
        await malformed.text();
      }
    });
  });

  describe('accounts', () => {
    it('logs a seeded customer in: a new PHPSESSID and a 302 to their orders', async () => {
      const shopper = new Shopper(shop.url);
      await shopper.get('/index.php?route=account/login');
      const before = shopper.cookies.get('PHPSESSID');
      expect(before).toBeTruthy();

      const login = await shopper.logIn('Ann@Example.com');
      expect(login.status).toBe(302);
      expect(login.headers.get('location')).toBe('/index.php?route=account/orders');
      expect(shopper.cookies.get('PHPSESSID')).not.toBe(before); // regenerated at login

      const orders = await shopper.get(login.headers.get('location')!);
      expect(orders.status).toBe(200);
      const html = await orders.text();
      expect(html).toContain('Welcome back!');
      expect(html).toContain('ann@example.com');
      expect([...html.matchAll(/data-order-number="(L\d+)"/g)].map((m) => m[1])).toEqual(['L100012', 'L100002', 'L100001']);
      expect((await shopper.cart()).customer).toEqual({ id: expect.any(Number), email: 'ann@example.com' });

      // The session before login is worth nothing now (no session fixation).
      const stale = await fetch(`${shop.url}/index.php?route=account/orders`, { headers: { cookie: `PHPSESSID=${before}` }, redirect: 'manual' });
      expect(stale.status).toBe(302);
    });

    it('shows an error for a bad password or an unknown email, and stays logged out', async () => {
      for (const [email, password] of [
        ['ann@example.com', 'wrong-password'],
        ['nobody@example.com', DEMO_PASSWORD],
        ['ann@example.com', ''],
      ] as const) {
        const shopper = new Shopper(shop.url);
        const response = await shopper.logIn(email, password);
        expect(response.status).toBe(200);
        const html = await response.text();
        expect(html).toContain('Invalid email or password.');
        expect(html).toContain(`value="${email}"`);
        expect((await shopper.cart()).customer).toBeNull();
      }
    });

    it('refuses a form without its CSRF token, and a GET to a POST-only route', async () => {
      const shopper = new Shopper(shop.url);
      await shopper.get('/index.php?route=account/login');
      const forged = await shopper.post('/index.php?route=account/login', { email: 'ann@example.com', password: DEMO_PASSWORD, csrf_token: 'f'.repeat(64) });
      expect(forged.status).toBe(403);
      expect(await forged.text()).toContain('Your form has expired');
      expect((await shopper.cart()).customer).toBeNull();

      const get = await shopper.get('/index.php?route=cart/add&product_id=1');
      expect(get.status).toBe(405);
      expect(get.headers.get('allow')).toBe('POST');
      await get.text();
    });

    it('sends a logged-out visitor to the login page, then back where they were going', async () => {
      const shopper = new Shopper(shop.url);
      const orders = await shopper.get('/index.php?route=checkout/confirm');
      expect(orders.status).toBe(302);
      expect(orders.headers.get('location')).toBe('/index.php?route=account/login&redirect=checkout%2Fconfirm');
      const page = await (await shopper.get(orders.headers.get('location')!)).text();
      const login = await shopper.post('/index.php?route=account/login', { csrf_token: csrfToken(page), email: 'bob@example.com', password: DEMO_PASSWORD, redirect: 'checkout/confirm' });
      expect(login.headers.get('location')).toBe('/index.php?route=checkout/confirm');
      // Never to another site.
      const evil = new Shopper(shop.url);
      const csrf_token = await evil.csrfFrom('/index.php?route=account/login');
      const away = await evil.post('/index.php?route=account/login', { csrf_token, email: 'bob@example.com', password: DEMO_PASSWORD, redirect: 'https://evil.example/' });
      expect(away.headers.get('location')).toBe('/index.php?route=account/orders');
    });

    it('registers a customer (bcrypt hash stored, logged in) and refuses a taken email', async () => {
      const shopper = new Shopper(shop.url);
      const csrf_token = await shopper.csrfFrom('/index.php?route=account/register');
      const form = { csrf_token, first_name: 'Zoë', last_name: 'Zimmer', email: 'Zoe@Example.com', password: 'correct horse' };
      const created = await shopper.post('/index.php?route=account/register', form);
      expect(created.status).toBe(302);
      expect(created.headers.get('location')).toBe('/index.php?route=account/orders');
      const row = (await db.query("SELECT first_name, password_hash FROM legacy.customers WHERE email = 'zoe@example.com'")).rows[0];
      expect(row.first_name).toBe('Zoë');
      expect(row.password_hash).toMatch(/^\$2y\$/);
      expect((await shopper.cart()).customer?.email).toBe('zoe@example.com');

      const again = new Shopper(shop.url);
      const taken = await again.post('/index.php?route=account/register', { ...form, csrf_token: await again.csrfFrom('/index.php?route=account/register') });
      expect(taken.status).toBe(200);
      expect(await taken.text()).toContain('An account with this email address already exists.');

      const invalid = await again.post('/index.php?route=account/register', { csrf_token: await again.csrfFrom('/index.php?route=account/register'), first_name: '', last_name: 'X', email: 'not-an-email', password: 'short' });
      const html = await invalid.text();
      expect(html).toContain('Please enter your first name.');
      expect(html).toContain('Please enter a valid email address.');
      expect(html).toContain('Your password must be 8 to 72 characters long.');
    });

    it('logs out: the session no longer knows the customer', async () => {
      const shopper = new Shopper(shop.url);
      await shopper.logIn('chloe@example.com');
      const csrf_token = await shopper.csrfFrom('/index.php?route=account/orders');
      const out = await shopper.post('/index.php?route=account/logout', { csrf_token });
      expect(out.status).toBe(302);
      expect(out.headers.get('location')).toBe('/index.php?route=common/home');
      expect((await shopper.cart()).customer).toBeNull();
      expect((await shopper.get('/index.php?route=account/orders')).status).toBe(302);
    });
  });

  describe('cart and checkout', () => {
    it('adds to the session cart with a redirect after POST; the cart persists with the cookie and only with it', async () => {
      const shopper = new Shopper(shop.url);
      const teapot = await productBySku('KIT-0025');
      const added = await shopper.addToCart(teapot.id, 2);
      expect(added.status).toBe(302);
      expect(added.headers.get('location')).toBe('/index.php?route=cart/view');
      expect(await added.text()).toBe('');

      const page = await (await shopper.get('/index.php?route=cart/view')).text();
      expect(page).toContain(`Added 2 × “${teapot.name}” to your cart.`);
      expect(page).toMatch(new RegExp(`<tr class="cart-line" data-product-id="${teapot.id}" data-sku="KIT-0025">[\\s\\S]*?<td class="quantity">2</td>`));
      expect(page).toContain('Cart (<span id="cart-count">2</span>)');

      await shopper.addToCart(teapot.id, 1);
      expect(await shopper.cart()).toEqual({
        items: [{ product_id: teapot.id, sku: 'KIT-0025', name: teapot.name, quantity: 3, unit_price_cents: teapot.price_cents, line_total_cents: 3 * teapot.price_cents }],
        item_count: 3,
        total_cents: 3 * teapot.price_cents,
        currency: 'EUR',
        customer: null,
      });
      // Another visitor (no cookie) has an empty cart.
      expect((await new Shopper(shop.url).cart()).items).toEqual([]);

      const csrf_token = await shopper.csrfFrom('/index.php?route=cart/view');
      const removed = await shopper.post('/index.php?route=cart/remove', { csrf_token, product_id: String(teapot.id) });
      expect(removed.status).toBe(302);
      expect((await shopper.cart()).items).toEqual([]);
    });

    it('refuses more than the stock, an out-of-stock product and a bad quantity, and keeps the cart as it was', async () => {
      const shopper = new Shopper(shop.url);
      const scarce = (await db.query('SELECT id, stock FROM legacy.products WHERE active AND stock BETWEEN 2 AND 10 ORDER BY id LIMIT 1')).rows[0];
      const tooMany = await shopper.addToCart(scarce.id, scarce.stock + 1);
      expect(tooMany.status).toBe(302);
      expect(await (await shopper.get('/index.php?route=cart/view')).text()).toContain(`only ${scarce.stock} of`);

      const gone = (await db.query('SELECT id FROM legacy.products WHERE active AND stock = 0 LIMIT 1')).rows[0];
      // An empty cart page has no form: the token comes from a product page.
      const csrf_token = await shopper.csrfFrom(`/index.php?route=product/view&id=${scarce.id}`);
      await shopper.post('/index.php?route=cart/add', { csrf_token, product_id: String(gone.id), quantity: '1' });
      expect(await (await shopper.get('/index.php?route=cart/view')).text()).toContain('is out of stock');

      for (const quantity of ['0', '-2', '1.5', 'x', '100']) {
        const response = await shopper.post('/index.php?route=cart/add', { csrf_token, product_id: String(scarce.id), quantity });
        expect([quantity, response.status, response.headers.get('location')]).toEqual([quantity, 302, `/index.php?route=product/view&id=${scarce.id}`]);
      }
      expect((await shopper.cart()).items).toEqual([]);
    });

    it('checks out: the order and its lines are written to legacy.orders, stock is taken, the cart is emptied', async () => {
      const shopper = new Shopper(shop.url);
      const mug = await productBySku('KIT-0001');
      const pen = await productBySku('STA-0014');
      await shopper.addToCart(mug.id, 2);
      await shopper.addToCart(pen.id, 1);
      // Logging in keeps the cart of the anonymous session.
      expect((await shopper.logIn('dmitri@example.com')).status).toBe(302);
      expect((await shopper.cart()).item_count).toBe(3);

      const csrf_token = await shopper.csrfFrom('/index.php?route=checkout/confirm');
      const placed = await shopper.post('/index.php?route=checkout/confirm', { csrf_token });
      expect(placed.status).toBe(302);
      const location = placed.headers.get('location')!;
      const orderNumber = /^\/index\.php\?route=checkout\/success&order=(L2\d{5})$/.exec(location)?.[1];
      expect(orderNumber).toBeDefined();

      const success = await (await shopper.get(location)).text();
      expect(success).toContain(`<strong id="order-number">${orderNumber}</strong>`);

      const order = (
        await db.query(
          `SELECT o.status, o.total_cents, o.currency, c.email, o.created_at FROM legacy.orders o JOIN legacy.customers c ON c.id = o.customer_id WHERE o.order_number = $1`,
          [orderNumber],
        )
      ).rows[0];
      expect(order).toMatchObject({ status: 'pending', total_cents: 2 * mug.price_cents + pen.price_cents, currency: 'EUR', email: 'dmitri@example.com' });
      expect(Date.now() - order.created_at.getTime()).toBeLessThan(60_000);
      const lines = (await db.query('SELECT sku, quantity, unit_price_cents FROM legacy.order_items i JOIN legacy.orders o ON o.id = i.order_id WHERE o.order_number = $1 ORDER BY sku', [orderNumber])).rows;
      expect(lines).toEqual([
        { sku: 'KIT-0001', quantity: 2, unit_price_cents: mug.price_cents },
        { sku: 'STA-0014', quantity: 1, unit_price_cents: pen.price_cents },
      ]);
      expect((await productBySku('KIT-0001')).stock).toBe(mug.stock - 2);
      expect((await shopper.cart()).items).toEqual([]);

      // Submitting the form again does not order twice: the cart is empty now.
      const again = await shopper.post('/index.php?route=checkout/confirm', { csrf_token });
      expect(again.headers.get('location')).toBe('/index.php?route=cart/view');
      expect((await db.query("SELECT count(*)::int AS n FROM legacy.orders WHERE order_number LIKE 'L2%'")).rows[0].n).toBe(1);

      // Another customer cannot see this order's page.
      const other = new Shopper(shop.url);
      await other.logIn('eve@example.com');
      expect((await other.get(location)).status).toBe(404);
    });

    it('checks stock again at checkout, and leaves out a product that stopped selling after it was added', async () => {
      const shopper = new Shopper(shop.url);
      await shopper.logIn('bob@example.com');
      const [kite, cable] = [await productBySku('TOY-0023'), await productBySku('TEC-0024')];
      await shopper.addToCart(kite.id, 2);
      await shopper.addToCart(cable.id, 1);
      const ordersBefore = (await db.query('SELECT count(*)::int AS n FROM legacy.orders')).rows[0].n;

      await db.query('UPDATE legacy.products SET stock = 1 WHERE id = $1', [kite.id]);
      const csrf_token = await shopper.csrfFrom('/index.php?route=checkout/confirm');
      const refused = await shopper.post('/index.php?route=checkout/confirm', { csrf_token });
      expect(refused.headers.get('location')).toBe('/index.php?route=cart/view');
      expect(await (await shopper.get('/index.php?route=cart/view')).text()).toContain(`Sorry, only 1 of “${kite.name}” are left.`);
      expect((await db.query('SELECT count(*)::int AS n FROM legacy.orders')).rows[0].n).toBe(ordersBefore);
      expect((await shopper.cart()).item_count).toBe(3); // kept for the shopper to fix

      await db.query('UPDATE legacy.products SET active = false WHERE id = $1', [kite.id]);
      const placed = await shopper.post('/index.php?route=checkout/confirm', { csrf_token });
      const orderNumber = /order=(L\d+)$/.exec(placed.headers.get('location') ?? '')?.[1];
      const lines = (await db.query('SELECT i.sku, i.quantity FROM legacy.order_items i JOIN legacy.orders o ON o.id = i.order_id WHERE o.order_number = $1', [orderNumber])).rows;
      expect(lines).toEqual([{ sku: 'TEC-0024', quantity: 1 }]);
      await db.query('UPDATE legacy.products SET active = true, stock = $2 WHERE id = $1', [kite.id, kite.stock]);
    });
  });

  describe('hostile input', () => {
    it('treats SQL-looking input as data: no error, no extra rows, no dropped table', async () => {
      const before = (await db.query('SELECT count(*)::int AS n FROM legacy.products')).rows[0].n;
      const payloads = ["' OR '1'='1", "1; DROP TABLE legacy.products; --", "%' UNION SELECT email, password_hash FROM legacy.customers --", '%', '_', '\\'];
      for (const q of payloads) {
        const response = await fetch(`${shop.url}/index.php?route=product/search&q=${encodeURIComponent(q)}`);
        expect([q, response.status]).toEqual([q, 200]);
        const html = await response.text();
        expect(html).toContain('No products found.');
        expect(html).not.toContain('$2y$');
      }
      for (const id of ['1 OR 1=1', "1' OR '1'='1", '1;DROP TABLE legacy.orders']) {
        expect((await fetch(`${shop.url}/index.php?route=product/view&id=${encodeURIComponent(id)}`)).status).toBe(404);
        expect((await fetch(`${shop.url}/index.php?route=api/product&id=${encodeURIComponent(id)}`)).status).toBe(400);
        expect((await fetch(`${shop.url}/index.php?route=product/list&category=${encodeURIComponent(id)}`)).status).toBe(404);
      }
      const shopper = new Shopper(shop.url);
      const login = await shopper.logIn("' OR '1'='1' --", "' OR '1'='1");
      expect(login.status).toBe(200);
      expect(await login.text()).toContain('Invalid email or password.');

      expect((await db.query('SELECT count(*)::int AS n FROM legacy.products')).rows[0].n).toBe(before);
      expect((await db.query("SELECT count(*)::int AS n FROM legacy.orders WHERE order_number LIKE 'L1%'")).rows[0].n).toBe(12);
    });

    it('escapes what it echoes back into HTML', async () => {
      const html = await (await fetch(`${shop.url}/index.php?route=product/search&q=${encodeURIComponent('<script>alert("x")</script>')}`)).text();
      expect(html).not.toContain('<script>alert');
      expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
      // Array-shaped and malformed parameters are not errors either.
      for (const query of ['route[]=x', 'route=product/view&id[]=1', 'route=product/search&q[]=a', 'route=product/search&q=%FF%FE', 'route=api/products&page[]=1']) {
        const response = await fetch(`${shop.url}/index.php?${query}`);
        expect([query, response.status < 500]).toEqual([query, true]);
        await response.text();
      }
    });
  });

  it('sets up its schema idempotently: starting a second shop on the same database changes no row', async () => {
    const count = async () => (await db.query('SELECT (SELECT count(*) FROM legacy.products)::int AS p, (SELECT count(*) FROM legacy.customers)::int AS c, (SELECT count(*) FROM legacy.orders)::int AS o')).rows[0];
    const before = await count();
    const second = await startLegacyShop({ databaseUrl: db.url });
    try {
      expect(await count()).toEqual(before);
      expect((await fetch(`${second.url}/index.php?route=api/health`)).status).toBe(200);
    } finally {
      await second.close();
    }
    await expect(fetch(`${second.url}/index.php?route=api/health`)).rejects.toThrow();
  });

  // Declared last so that it reads the log of every request above.
  it('logged no PHP warning, notice or error along the way', () => {
    expect(shop.output()).not.toMatch(/PHP (Warning|Notice|Deprecated|Fatal)|\[legacy-shop\]/);
  });
});

describe('legacy PHP shop without its database', () => {
  it('reports 503 on api/health and a plain 500 page elsewhere, without leaking the error', async () => {
    const db = await createTestDatabase({ migrated: false });
    const shop = await startLegacyShop({ databaseUrl: db.url });
    try {
      await db.drop();
      const health = await fetch(`${shop.url}/index.php?route=api/health`);
      expect(health.status).toBe(503);
      expect(await body(health)).toEqual({ status: 'error', database: 'down' });

      const page = await fetch(`${shop.url}/index.php?route=product/list`);
      expect(page.status).toBe(500);
      const html = await page.text();
      expect(html).toContain('Sorry, something went wrong on our side.');
      expect(html).not.toMatch(/PDO|SQLSTATE|does not exist|legacy-php\/|\.php on line/);
      const api = await fetch(`${shop.url}/index.php?route=api/products`);
      expect(api.status).toBe(500);
      expect(await body(api)).toEqual({ error: 'internal_error', message: 'Something went wrong.' });
      // The cause goes to the shop's error log instead.
      await eventually(() => /\[legacy-shop\] PDOException on route product\/list: [^]*does not exist/.test(shop.output()), 5000);
    } finally {
      await shop.close();
      await db.drop();
    }
  });
});

describe('legacy proxy readiness against the real shop', () => {
  it('asks the shop\'s api/health: not ready once the shop has lost its database', async () => {
    const db = await createTestDatabase({ migrated: false });
    const shop = await startLegacyShop({ databaseUrl: db.url });
    const api = await startUpstream((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}'));
    const proxy = await startProxy({ legacyUrl: shop.url, apiUrl: api.url });
    try {
      const ready = await fetch(`${proxy.url}/health/ready`);
      expect(ready.status).toBe(200);
      expect((await body(ready)).checks.legacy).toMatchObject({ status: 'up', url: `${shop.url}/index.php?route=api/health` });
      await db.drop();
      const notReady = await fetch(`${proxy.url}/health/ready`);
      expect(notReady.status).toBe(503);
      expect((await body(notReady)).checks.legacy).toMatchObject({ status: 'down', message: 'answered 503' });
    } finally {
      await proxy.close();
      await api.close();
      await shop.close();
    }
  });
});

describe('legacy PHP shop behind the legacy proxy', () => {
  let db: TestDatabase;
  let shop: LegacyShop;
  let proxy: RunningProxy;

  beforeAll(async () => {
    db = await createTestDatabase({ migrated: false });
    shop = await startLegacyShop({ databaseUrl: db.url });
    proxy = await startProxy({ legacyUrl: shop.url, apiUrl: await deadUrl() });
  });
  afterAll(async () => {
    await proxy?.close();
    await shop?.close();
    await db?.drop();
  });

  it('serves the same pages and JSON through the proxy as directly', async () => {
    for (const path of ['/index.php?route=product/list&page=3', '/index.php?route=api/products&per_page=3', '/index.php?route=api/product&id=5']) {
      const [direct, proxied] = await Promise.all([fetch(`${shop.url}${path}`), fetch(`${proxy.url}${path}`)]);
      expect([path, proxied.status, proxied.headers.get('content-type')]).toEqual([path, direct.status, direct.headers.get('content-type')]);
      expect(proxied.headers.get('x-request-id')).toBeTruthy();
      expect(await proxied.text()).toBe(await direct.text());
    }
    const missing = await fetch(`${proxy.url}/index.php?route=nope`);
    expect(missing.status).toBe(404);
    expect(await missing.text()).toContain('Page not found');
  });

  it('passes login cookies and redirects through unchanged: a shopper logs in, fills a cart and orders via the proxy', async () => {
    const shopper = new Shopper(proxy.url);
    const login = await shopper.logIn('eve@example.com');
    expect(login.status).toBe(302); // not followed by the proxy
    expect(login.headers.get('location')).toBe('/index.php?route=account/orders');
    expect(login.headers.getSetCookie().some((c) => /^PHPSESSID=[\w-]+; path=\/; HttpOnly; SameSite=Lax$/.test(c))).toBe(true);

    const orders = await shopper.get('/index.php?route=account/orders');
    expect(await orders.text()).toContain('data-order-number="L100010"');

    const added = await shopper.addToCart(3, 1);
    expect(added.status).toBe(302);
    expect(added.headers.get('location')).toBe('/index.php?route=cart/view');
    expect((await shopper.cart()).items.map((i) => [i.product_id, i.quantity])).toEqual([[3, 1]]);

    // The same session cookie works against the shop directly: the proxy did not rewrite it.
    const direct = await fetch(`${shop.url}/index.php?route=api/cart`, { headers: { cookie: `PHPSESSID=${shopper.cookies.get('PHPSESSID')}` } });
    expect(((await body(direct)) as CartJson).customer?.email).toBe('eve@example.com');

    const csrf_token = await shopper.csrfFrom('/index.php?route=checkout/confirm');
    const placed = await shopper.post('/index.php?route=checkout/confirm', { csrf_token });
    expect(placed.status).toBe(302);
    const orderNumber = /order=(L\d+)$/.exec(placed.headers.get('location')!)?.[1];
    expect((await db.query('SELECT count(*)::int AS n FROM legacy.orders WHERE order_number = $1', [orderNumber])).rows[0].n).toBe(1);
  });
});
