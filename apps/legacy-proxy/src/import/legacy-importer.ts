import type { ImportMappings, MappedKind } from './import-mappings.js';
import type { LegacyData, LegacyOrder, LegacyProduct } from './legacy-source.js';

export interface ImportApi {
  /** JSON over HTTP to the running API with an admin token; resolves to status and body. */
  call(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; body: any }>;
}

export interface ImportProgress {
  start(kind: MappedKind, total: number): void;
  tick(): void;
  stop(): void;
}

export interface KindReport {
  legacy: number;
  imported: number;
  created: number;
}

export type ImportReport = Record<MappedKind, KindReport>;

/** Legacy statuses: `pending` was never paid in the legacy shop, so it arrives cancelled. */
const ORDER_STATUS: Record<string, string> = { pending: 'cancelled', paid: 'paid', shipped: 'shipped', cancelled: 'cancelled' };

export class ImportError extends Error {}

interface CategoryNode {
  id: string;
  children: CategoryNode[];
}

/**
 * Copies the legacy shop's categories, products, customers and orders into the new contexts
 * through the API (admin routes, identity's token exchange), recording each new id in the
 * mappings as soon as it exists: a re-run, also after a crash, skips what is there.
 */
export class LegacyImporter {
  constructor(
    private readonly api: ImportApi,
    private readonly mappings: ImportMappings,
    private readonly exchangeSecret: string,
    private readonly progress: ImportProgress,
  ) {}

  async run(data: LegacyData): Promise<ImportReport> {
    const report = {} as ImportReport;
    report.category = await this.each('category', data.categories, async (category) => {
      const parentId = category.parentId === null ? undefined : this.mappings.get('category', category.parentId);
      const made = await this.api.call('POST', '/api/v1/admin/categories', { name: category.name, slug: category.slug, parentId, position: category.sortOrder });
      if (made.status === 201) return made.body.id;
      // Made by hand before the import: the category with that slug is the one.
      if (made.status === 409) return { id: (await this.expect(200, 'GET', `/api/v1/categories/${category.slug}`)).id, created: false };
      throw new ImportError(`POST /api/v1/admin/categories answered ${made.status}: ${JSON.stringify(made.body)}`);
    });
    report.product = await this.each('product', data.products, async (product) => (await this.expect(201, 'POST', '/api/v1/admin/products', this.productBody(product))).id);
    report.customer = await this.each('customer', data.customers, async (customer) => {
      const exchanged = await this.expect(200, 'POST', '/api/v1/auth/token-exchange', { legacyCustomerId: customer.id, email: customer.email }, { 'x-proxy-exchange-secret': this.exchangeSecret });
      // A profile is named once, when the account is new: an existing one keeps what its owner chose.
      if (exchanged.created) await this.expect(200, 'PATCH', '/api/v1/me', { name: `${customer.firstName} ${customer.lastName}`.trim() }, { authorization: `Bearer ${exchanged.accessToken}` });
      return { id: exchanged.accountId, created: exchanged.created };
    });
    const emails = new Map(data.customers.map((customer) => [customer.id, customer.email]));
    report.order = await this.each('order', data.orders, async (order) => {
      const imported = await this.expect(201, 'POST', '/api/v1/admin/legacy-orders', this.orderBody(order, emails.get(order.customerId)!));
      return { id: imported.id, created: imported.created };
    });
    await this.verify(report, data);
    return report;
  }

  /** The count check: how many mapped ids the API knows (each looked up once). */
  private async verify(report: ImportReport, data: LegacyData): Promise<void> {
    const tree = (await this.expect(200, 'GET', '/api/v1/categories')) as CategoryNode[];
    const categories = new Set<string>();
    const walk = (nodes: CategoryNode[]) => nodes.forEach((node) => (categories.add(node.id), walk(node.children)));
    walk(tree);
    report.category.imported = data.categories.filter((c) => categories.has(this.mappings.get('category', c.id) ?? '')).length;
    report.product.imported = await this.countFound('product', data.products.map((p) => this.mappings.get('product', p.id)), (id) => `/api/v1/admin/products/${id}`);
    const accounts = data.customers.map((c) => this.mappings.get('customer', c.id));
    report.customer.imported = await this.countFound('customer', accounts, (id) => `/api/v1/admin/accounts/${id}`);
    report.order.imported = await this.countFound('order', data.orders.map((o) => this.mappings.get('order', o.number)), (id) => `/api/v1/admin/orders/${id}`);
  }

  private async countFound(kind: MappedKind, ids: (string | undefined)[], path: (id: string) => string): Promise<number> {
    let found = 0;
    this.progress.start(kind, ids.length);
    try {
      for (const id of ids) {
        if (id && (await this.api.call('GET', path(id))).status === 200) found += 1;
        this.progress.tick();
      }
    } finally {
      this.progress.stop();
    }
    return found;
  }

  private productBody(product: LegacyProduct) {
    return {
      name: product.name,
      slug: `legacy-${product.sku.toLowerCase()}`,
      description: product.description || undefined,
      status: product.active ? 'active' : 'archived',
      categoryIds: [this.mapped('category', product.categoryId)],
      variants: [{ sku: product.sku, price: { amount: product.priceCents, currency: product.currency } }],
    };
  }

  private orderBody(order: LegacyOrder, email: string) {
    return {
      number: order.number,
      customerId: this.mapped('customer', order.customerId),
      email,
      status: ORDER_STATUS[order.status] ?? order.status,
      currency: order.currency,
      total: order.totalCents,
      placedAt: new Date(order.createdAt).toISOString(),
      lines: order.items.map((item) => ({ sku: item.sku, productId: this.mapped('product', item.productId), productName: item.name, quantity: item.quantity, unitPrice: item.unitPriceCents })),
    };
  }

  /** Imports the rows not mapped yet, one at a time, and counts. `make` returns the new id (and whether it was new). */
  private async each<T extends { id: number; number?: string }>(
    kind: MappedKind,
    rows: T[],
    make: (row: T) => Promise<string | { id: string; created: boolean }>,
  ): Promise<KindReport> {
    const report: KindReport = { legacy: rows.length, imported: 0, created: 0 };
    this.progress.start(kind, rows.length);
    try {
      for (const row of rows) {
        const key = row.number ?? row.id;
        if (!this.mappings.get(kind, key)) {
          const made = await make(row);
          const { id, created } = typeof made === 'string' ? { id: made, created: true } : made;
          await this.mappings.set(kind, key, id);
          if (created) report.created += 1;
        }
        this.progress.tick();
      }
    } finally {
      this.progress.stop();
    }
    return report;
  }

  private mapped(kind: MappedKind, legacyId: number): string {
    const id = this.mappings.get(kind, legacyId);
    if (!id) throw new ImportError(`${kind} ${legacyId} of the legacy shop was not imported`);
    return id;
  }

  private async expect(status: number, method: string, path: string, body?: unknown, headers?: Record<string, string>) {
    const answer = await this.api.call(method, path, body, headers);
    if (answer.status !== status) throw new ImportError(`${method} ${path} answered ${answer.status}: ${JSON.stringify(answer.body)}`);
    return answer.body;
  }
}
