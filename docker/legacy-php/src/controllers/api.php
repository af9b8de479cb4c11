<?php
declare(strict_types=1);

function api_health(): void
{
    try {
        db_query('SELECT 1 FROM legacy.products LIMIT 1');
    } catch (PDOException $error) {
        error_log('[legacy-shop] health: ' . $error->getMessage());
        json_response(['status' => 'error', 'database' => 'down'], 503);
    }
    json_response(['status' => 'ok', 'database' => 'up']);
}

function api_products(): void
{
    $page = int_param($_GET, 'page', 1, 1, MAX_PAGE);
    $perPage = int_param($_GET, 'per_page', 20, 1, 100);
    if ($page === null || $perPage === null) {
        throw new HttpError(400, $page === null ? 'page must be a whole number from 1 to ' . MAX_PAGE : 'per_page must be a whole number from 1 to 100');
    }
    $category = null;
    $slug = string_param($_GET, 'category', 100);
    if ($slug !== '') {
        $category = find_category($slug) ?? throw new HttpError(404, 'There is no such category.');
    }
    $result = find_products($category['id'] ?? null, null, $page, $perPage);
    $result['items'] = array_map('product_json', $result['items']);
    json_response($result);
}

function api_product(): void
{
    $id = int_param($_GET, 'id', null);
    if ($id === null) {
        throw new HttpError(400, 'id must be a whole number from 1 to ' . DB_INT_MAX);
    }
    $product = find_product($id) ?? throw new HttpError(404, 'This product does not exist or is no longer sold.');
    json_response(product_json($product));
}

function api_cart(): void
{
    $cart = cart_summary();
    $customer = current_customer();
    json_response([
        'items' => array_map(static fn (array $line) => [
            'product_id' => $line['product']['id'],
            'sku' => $line['product']['sku'],
            'name' => $line['product']['name'],
            'quantity' => $line['quantity'],
            'unit_price_cents' => $line['product']['price_cents'],
            'line_total_cents' => $line['line_total_cents'],
        ], $cart['lines']),
        'item_count' => $cart['item_count'],
        'total_cents' => $cart['total_cents'],
        'currency' => $cart['currency'],
        'customer' => $customer === null ? null : ['id' => $customer['id'], 'email' => $customer['email']],
    ]);
}
