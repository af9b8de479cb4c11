<?php /** @var array $cart */ ?>
<h1>Your cart</h1>
<?php if ($cart['lines'] === []): ?>
  <p class="empty">Your cart is empty. <a href="<?= h(url('product/list')) ?>">Browse our products</a>.</p>
<?php else: ?>
  <table class="cart">
    <tr><th>Product</th><th>SKU</th><th>Price</th><th>Quantity</th><th>Total</th><th></th></tr>
    <?php foreach ($cart['lines'] as $line): $product = $line['product']; ?>
      <tr class="cart-line" data-product-id="<?= h($product['id']) ?>" data-sku="<?= h($product['sku']) ?>">
        <td><a href="<?= h(url('product/view', ['id' => $product['id']])) ?>"><?= h($product['name']) ?></a></td>
        <td><?= h($product['sku']) ?></td>
        <td><?= h(money($product['price_cents'], $product['currency'])) ?></td>
        <td class="quantity"><?= h($line['quantity']) ?></td>
        <td><?= h(money($line['line_total_cents'], $product['currency'])) ?></td>
        <td>
          <form class="inline" action="<?= h(url('cart/remove')) ?>" method="post">
            <?= csrf_field() ?><input type="hidden" name="product_id" value="<?= h($product['id']) ?>"><button type="submit">Remove</button>
          </form>
        </td>
      </tr>
    <?php endforeach ?>
    <tr><th colspan="4">Total</th><th id="cart-total"><?= h(money($cart['total_cents'], $cart['currency'])) ?></th><th></th></tr>
  </table>
  <p><a href="<?= h(url('checkout/confirm')) ?>" id="checkout-link">Proceed to checkout</a></p>
<?php endif ?>
