<?php
declare(strict_types=1);

// Catalog reads shared by the HTML pages and the JSON endpoints. Only active products are shown.

const PRODUCT_COLUMNS = 'p.id, p.sku, p.name, p.description, p.price_cents, p.currency, p.stock, p.created_at,'
    . ' c.id AS category_id, c.slug AS category_slug, c.name AS category_name';

function find_category(string $slug): ?array
{
    return db_query('SELECT id, slug, name, parent_id FROM legacy.categories WHERE slug = ?', [$slug])->fetch() ?: null;
}

/** Top-level categories, each with its active product count including its sub-categories'. */
function top_categories(): array
{
    return db_query(
        'SELECT top.id, top.slug, top.name, count(p.id) AS product_count
           FROM legacy.categories top
           LEFT JOIN legacy.categories c ON c.id = top.id OR c.parent_id = top.id
           LEFT JOIN legacy.products p ON p.category_id = c.id AND p.active
          WHERE top.parent_id IS NULL
          GROUP BY top.id ORDER BY top.sort_order, top.name'
    )->fetchAll();
}

/**
 * One page of active products by name, optionally within a category (and its sub-categories) or
 * matching a search text in name, SKU or description.
 *
 * @return array{items: list<array>, total: int, page: int, per_page: int, pages: int}
 */
function find_products(?int $categoryId, ?string $search, int $page, int $perPage): array
{
    $where = ['p.active'];
    $params = [];
    if ($categoryId !== null) {
        $where[] = 'p.category_id IN (SELECT id FROM legacy.categories WHERE id = :category OR parent_id = :parent)';
        $params['category'] = $categoryId;
        $params['parent'] = $categoryId;
    }
    if ($search !== null && $search !== '') {
        // The search text is data: LIKE wildcards in it match themselves.
        $pattern = '%' . addcslashes($search, '\\%_') . '%';
        $where[] = '(p.name ILIKE :name OR p.sku ILIKE :sku OR p.description ILIKE :description)';
        $params += ['name' => $pattern, 'sku' => $pattern, 'description' => $pattern];
    }
    $from = 'FROM legacy.products p JOIN legacy.categories c ON c.id = p.category_id WHERE ' . implode(' AND ', $where);
    $total = (int) db_query("SELECT count(*) $from", $params)->fetchColumn();
    $items = db_query(
        'SELECT ' . PRODUCT_COLUMNS . " $from ORDER BY p.name, p.id LIMIT :limit OFFSET :offset",
        $params + ['limit' => $perPage, 'offset' => ($page - 1) * $perPage]
    )->fetchAll();
    return ['items' => $items, 'total' => $total, 'page' => $page, 'per_page' => $perPage, 'pages' => max(1, (int) ceil($total / $perPage))];
}

function find_product(int $id): ?array
{
    return db_query(
        'SELECT ' . PRODUCT_COLUMNS . ' FROM legacy.products p JOIN legacy.categories c ON c.id = p.category_id WHERE p.id = ? AND p.active',
        [$id]
    )->fetch() ?: null;
}

/** Active products by id, keyed by id. */
function find_products_by_id(array $ids): array
{
    if ($ids === []) {
        return [];
    }
    $rows = db_query(
        'SELECT ' . PRODUCT_COLUMNS . ' FROM legacy.products p JOIN legacy.categories c ON c.id = p.category_id
          WHERE p.id = ANY (CAST(? AS integer[])) AND p.active',
        ['{' . implode(',', array_map('intval', $ids)) . '}']
    )->fetchAll();
    return array_column($rows, null, 'id');
}

function product_json(array $product): array
{
    return [
        'id' => $product['id'],
        'sku' => $product['sku'],
        'name' => $product['name'],
        'description' => $product['description'],
        'price_cents' => $product['price_cents'],
        'currency' => $product['currency'],
        'stock' => $product['stock'],
        'in_stock' => $product['stock'] > 0,
        'category' => ['id' => $product['category_id'], 'slug' => $product['category_slug'], 'name' => $product['category_name']],
        'url' => url('product/view', ['id' => $product['id']]),
    ];
}
