<?php
declare(strict_types=1);

const PRODUCTS_PER_PAGE = 24;

function product_list(): void
{
    // Like most shops of its age, an odd page number shows the first page rather than an error.
    $page = int_param($_GET, 'page', 1, 1, MAX_PAGE) ?? 1;
    $category = null;
    $slug = string_param($_GET, 'category', 100);
    if ($slug !== '') {
        $category = find_category($slug) ?? throw new HttpError(404, 'There is no such category.');
    }
    $result = find_products($category['id'] ?? null, null, $page, PRODUCTS_PER_PAGE);
    render('product_list', [
        'title' => ($category['name'] ?? 'All products') . ' – Ficus Shop',
        'heading' => $category['name'] ?? 'All products',
        'categories' => top_categories(),
        'result' => $result,
        'pageParams' => $category ? ['category' => $category['slug']] : [],
        'route' => 'product/list',
    ]);
}

function product_view(): void
{
    $id = int_param($_GET, 'id', null);
    $product = $id === null ? null : find_product($id);
    if ($product === null) {
        throw new HttpError(404, 'This product does not exist or is no longer sold.');
    }
    render('product_view', ['title' => $product['name'] . ' – Ficus Shop', 'product' => $product, 'inCart' => cart_quantities()[$product['id']] ?? 0]);
}

function product_search(): void
{
    $query = string_param($_GET, 'q', 100);
    $page = int_param($_GET, 'page', 1, 1, MAX_PAGE) ?? 1;
    $result = $query === '' ? null : find_products(null, $query, $page, PRODUCTS_PER_PAGE);
    render('product_list', [
        'title' => ($query === '' ? 'Search' : 'Search: ' . $query) . ' – Ficus Shop',
        'heading' => $query === '' ? 'Search' : 'Results for “' . $query . '”',
        'categories' => top_categories(),
        'result' => $result,
        'query' => $query,
        'pageParams' => ['q' => $query],
        'route' => 'product/search',
    ]);
}
