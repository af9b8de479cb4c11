<?php
declare(strict_types=1);

function cart_view(): void
{
    render('cart', ['title' => 'Your cart – Ficus Shop', 'cart' => cart_summary()]);
}

function cart_add(): void
{
    require_post();
    $productId = int_param($_POST, 'product_id', null);
    $quantity = int_param($_POST, 'quantity', 1, 1, CART_MAX_QUANTITY);
    $product = $productId === null ? null : find_product($productId);
    if ($product === null) {
        flash('error', 'That product is not available.');
        redirect('cart/view');
    }
    if ($quantity === null) {
        flash('error', 'Please choose a quantity between 1 and ' . CART_MAX_QUANTITY . '.');
        redirect('product/view', ['id' => $product['id']]);
    }
    $wanted = (cart_quantities()[$product['id']] ?? 0) + $quantity;
    if ($wanted > min($product['stock'], CART_MAX_QUANTITY)) {
        flash('error', $product['stock'] > 0
            ? sprintf('Sorry, only %d of “%s” can be ordered.', min($product['stock'], CART_MAX_QUANTITY), $product['name'])
            : sprintf('Sorry, “%s” is out of stock.', $product['name']));
        redirect('cart/view');
    }
    cart_set($product['id'], $wanted);
    flash('success', sprintf('Added %d × “%s” to your cart.', $quantity, $product['name']));
    redirect('cart/view');
}

function cart_remove(): void
{
    require_post();
    $productId = int_param($_POST, 'product_id', null);
    if ($productId !== null && isset(cart_quantities()[$productId])) {
        cart_set($productId, 0);
        flash('success', 'The item was removed from your cart.');
    }
    redirect('cart/view');
}
