import pg from 'pg';

export interface LegacyCategory { id: number; parentId: number | null; slug: string; name: string; sortOrder: number }
export interface LegacyProduct { id: number; sku: string; categoryId: number; name: string; description: string; priceCents: number; currency: string; active: boolean }
export interface LegacyCustomer { id: number; email: string; firstName: string; lastName: string }
export interface LegacyOrderItem { productId: number; sku: string; name: string; unitPriceCents: number; quantity: number }
export interface LegacyOrder { id: number; number: string; customerId: number; status: string; currency: string; totalCents: number; createdAt: Date; items: LegacyOrderItem[] }

export interface LegacyData {
  categories: LegacyCategory[];
  products: LegacyProduct[];
  customers: LegacyCustomer[];
  orders: LegacyOrder[];
}

/** Everything the import copies, read from the legacy shop's `legacy` schema in one snapshot. */
export async function readLegacy(databaseUrl: string): Promise<LegacyData> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const rows = async <T>(sql: string) => (await client.query(sql)).rows as T[];
    const categories = await rows<LegacyCategory>('SELECT id, parent_id AS "parentId", slug, name, sort_order AS "sortOrder" FROM legacy.categories ORDER BY parent_id NULLS FIRST, id');
    const products = await rows<LegacyProduct>(
      'SELECT id, sku, category_id AS "categoryId", name, description, price_cents AS "priceCents", currency, active FROM legacy.products ORDER BY id',
    );
    const customers = await rows<LegacyCustomer>('SELECT id, email, first_name AS "firstName", last_name AS "lastName" FROM legacy.customers ORDER BY id');
    const orders = await rows<Omit<LegacyOrder, 'items'>>(
      'SELECT id, order_number AS number, customer_id AS "customerId", status, currency, total_cents AS "totalCents", created_at AS "createdAt" FROM legacy.orders ORDER BY id',
    );
    const items = await rows<LegacyOrderItem & { orderId: number }>(
      'SELECT order_id AS "orderId", product_id AS "productId", sku, name, unit_price_cents AS "unitPriceCents", quantity FROM legacy.order_items ORDER BY order_id, id',
    );
    await client.query('COMMIT');
    const byOrder = new Map<number, LegacyOrderItem[]>();
    for (const { orderId, ...item } of items) byOrder.set(orderId, [...(byOrder.get(orderId) ?? []), item]);
    return { categories, products, customers, orders: orders.map((order) => ({ ...order, items: byOrder.get(order.id) ?? [] })) };
  } finally {
    await client.end();
  }
}
