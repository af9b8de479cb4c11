<?php
declare(strict_types=1);

require __DIR__ . '/db.php';
require __DIR__ . '/http.php';
require __DIR__ . '/catalog.php';
require __DIR__ . '/cart.php';

/** route => [controller file, function, whether it uses the PHP session]. */
const ROUTES = [
    'common/home' => ['common', 'common_home', true],
    'product/list' => ['product', 'product_list', true],
    'product/view' => ['product', 'product_view', true],
    'product/search' => ['product', 'product_search', true],
    'cart/view' => ['cart', 'cart_view', true],
    'cart/add' => ['cart', 'cart_add', true],
    'cart/remove' => ['cart', 'cart_remove', true],
    'account/register' => ['account', 'account_register', true],
    'account/login' => ['account', 'account_login', true],
    'account/logout' => ['account', 'account_logout', true],
    'account/orders' => ['account', 'account_orders', true],
    'checkout/confirm' => ['checkout', 'checkout_confirm', true],
    'checkout/success' => ['checkout', 'checkout_success', true],
    // JSON. Only the cart needs the session; the others stay cookie-free.
    'api/health' => ['api', 'api_health', false],
    'api/products' => ['api', 'api_products', false],
    'api/product' => ['api', 'api_product', false],
    'api/cart' => ['api', 'api_cart', true],
    // The proxy's auth bridge; starts the session itself, read-only.
    'bridge/whoami' => ['bridge', 'bridge_whoami', false],
];

function run_shop(): void
{
    $route = $_GET['route'] ?? 'common/home';
    $route = is_string($route) && $route !== '' ? $route : 'common/home';
    $isApi = str_starts_with($route, 'api/');
    try {
        if (!isset(ROUTES[$route])) {
            throw new HttpError(404, 'The page you are looking for does not exist.');
        }
        [$file, $action, $usesSession] = ROUTES[$route];
        if ($usesSession) {
            start_session();
        }
        require_once __DIR__ . '/controllers/' . $file . '.php';
        $action();
    } catch (HttpError $error) {
        foreach ($error->headers as $header) {
            header($header);
        }
        if ($isApi) {
            json_response(['error' => error_code($error->status), 'message' => $error->getMessage()], $error->status);
        }
        render('error', ['title' => error_title($error->status), 'message' => $error->getMessage()], $error->status);
    } catch (Throwable $error) {
        error_log(sprintf('[legacy-shop] %s on route %s: %s', $error::class, $route, $error->getMessage()));
        if ($isApi) {
            json_response(['error' => 'internal_error', 'message' => 'Something went wrong.'], 500);
        }
        render('error', ['title' => 'Something went wrong', 'message' => 'Sorry, something went wrong on our side. Please try again later.'], 500);
    }
}

function error_code(int $status): string
{
    return [400 => 'bad_request', 403 => 'forbidden', 404 => 'not_found', 405 => 'method_not_allowed'][$status] ?? 'error';
}

function error_title(int $status): string
{
    return [400 => 'Bad request', 403 => 'Forbidden', 404 => 'Page not found', 405 => 'Method not allowed'][$status] ?? 'Error';
}
