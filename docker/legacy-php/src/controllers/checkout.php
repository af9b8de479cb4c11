<?php
declare(strict_types=1);

final class CheckoutRejected extends RuntimeException
{
}

function checkout_confirm(): void
{
    $customer = require_login('checkout/confirm');
    $cart = cart_summary();
    if ($cart['lines'] === []) {
        if ($_SERVER['REQUEST_METHOD'] === 'POST') {
            require_post();
        }
        flash('info', 'Your cart is empty.');
        redirect('cart/view');
    }
    if ($_SERVER['REQUEST_METHOD'] !== 'POST') {
        render('checkout_confirm', ['title' => 'Confirm your order – Ficus Shop', 'customer' => $customer, 'cart' => $cart]);
    }
    require_post();
    // What the customer was shown: products no longer sold have dropped out of the summary.
    $quantities = [];
    foreach ($cart['lines'] as $line) {
        $quantities[$line['product']['id']] = $line['quantity'];
    }
    try {
        $orderNumber = place_order($customer['id'], $quantities);
    } catch (CheckoutRejected $rejected) {
        flash('error', $rejected->getMessage());
        redirect('cart/view');
    }
    cart_clear();
    redirect('checkout/success', ['order' => $orderNumber]);
}

/**
 * Creates the order from the cart in one transaction: the products are locked, checked and their
 * stock taken, with prices as they are now.
 *
 * @param array<int, int> $quantities
 */
function place_order(int $customerId, array $quantities): string
{
    $pdo = db();
    $pdo->beginTransaction();
    try {
        $ids = array_keys($quantities);
        sort($ids);
        $products = db_query(
            'SELECT id, sku, name, price_cents, currency, stock FROM legacy.products
              WHERE id = ANY (CAST(? AS integer[])) AND active ORDER BY id FOR UPDATE',
            ['{' . implode(',', $ids) . '}']
        )->fetchAll();
        $products = array_column($products, null, 'id');
        $total = 0;
        foreach ($quantities as $id => $quantity) {
            $product = $products[$id] ?? throw new CheckoutRejected('An item in your cart is no longer sold; please review your cart.');
            if ($product['stock'] < $quantity) {
                throw new CheckoutRejected(sprintf('Sorry, only %d of “%s” are left.', $product['stock'], $product['name']));
            }
            $total += $product['price_cents'] * $quantity;
        }
        $order = db_query(
            "INSERT INTO legacy.orders (customer_id, status, currency, total_cents) VALUES (?, 'pending', 'EUR', ?) RETURNING id, order_number",
            [$customerId, $total]
        )->fetch();
        foreach ($quantities as $id => $quantity) {
            $product = $products[$id];
            db_query(
                'INSERT INTO legacy.order_items (order_id, product_id, sku, name, unit_price_cents, quantity) VALUES (?, ?, ?, ?, ?, ?)',
                [$order['id'], $id, $product['sku'], $product['name'], $product['price_cents'], $quantity]
            );
            db_query('UPDATE legacy.products SET stock = stock - ?, updated_at = now() WHERE id = ?', [$quantity, $id]);
        }
        $pdo->commit();
        return $order['order_number'];
    } catch (Throwable $error) {
        $pdo->rollBack();
        throw $error;
    }
}

function checkout_success(): void
{
    $customer = require_login('account/orders');
    $number = string_param($_GET, 'order', 20);
    $order = db_query(
        'SELECT id, order_number, status, total_cents, currency, created_at FROM legacy.orders WHERE order_number = ? AND customer_id = ?',
        [$number, $customer['id']]
    )->fetch();
    if ($order === false) {
        throw new HttpError(404, 'There is no such order on your account.');
    }
    $items = db_query('SELECT sku, name, unit_price_cents, quantity FROM legacy.order_items WHERE order_id = ? ORDER BY id', [$order['id']])->fetchAll();
    render('checkout_success', ['title' => 'Thank you for your order – Ficus Shop', 'order' => $order, 'items' => $items]);
}
