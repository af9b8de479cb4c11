<?php
declare(strict_types=1);

// The cart lives in the PHP session as [product id => quantity].

const CART_MAX_QUANTITY = 99;

/** @return array<int, int> */
function cart_quantities(): array
{
    $cart = $_SESSION['cart'] ?? [];
    return is_array($cart) ? array_filter($cart, static fn ($qty, $id) => is_int($id) && is_int($qty) && $qty > 0, ARRAY_FILTER_USE_BOTH) : [];
}

function cart_set(int $productId, int $quantity): void
{
    $cart = cart_quantities();
    if ($quantity > 0) {
        $cart[$productId] = $quantity;
    } else {
        unset($cart[$productId]);
    }
    $_SESSION['cart'] = $cart;
}

function cart_clear(): void
{
    $_SESSION['cart'] = [];
}

function cart_count(): int
{
    return session_status() === PHP_SESSION_ACTIVE ? array_sum(cart_quantities()) : 0;
}

/**
 * The cart priced from the catalog now; products no longer sold drop out.
 *
 * @return array{lines: list<array>, total_cents: int, currency: string, item_count: int}
 */
function cart_summary(): array
{
    $quantities = cart_quantities();
    $products = find_products_by_id(array_keys($quantities));
    $lines = [];
    $total = 0;
    foreach ($quantities as $id => $quantity) {
        if (!isset($products[$id])) {
            continue;
        }
        $product = $products[$id];
        $lineTotal = $product['price_cents'] * $quantity;
        $total += $lineTotal;
        $lines[] = ['product' => $product, 'quantity' => $quantity, 'line_total_cents' => $lineTotal];
    }
    return ['lines' => $lines, 'total_cents' => $total, 'currency' => 'EUR', 'item_count' => array_sum(array_column($lines, 'quantity'))];
}
