<?php /** @var array $product @var int $inCart */ ?>
<article class="product-detail" data-product-id="<?= h($product['id']) ?>" data-sku="<?= h($product['sku']) ?>">
  <p class="breadcrumb"><a href="<?= h(url('product/list', ['category' => $product['category_slug']])) ?>"><?= h($product['category_name']) ?></a></p>
  <h1><?= h($product['name']) ?></h1>
  <p class="sku">SKU: <?= h($product['sku']) ?></p>
  <p class="price"><?= h(money($product['price_cents'], $product['currency'])) ?></p>
  <p class="description"><?= h($product['description']) ?></p>
  <?php if ($product['stock'] > 0): ?>
    <p class="stock"><?= h($product['stock']) ?> in stock<?= $inCart > 0 ? ' · ' . h($inCart) . ' in your cart' : '' ?></p>
    <form action="<?= h(url('cart/add')) ?>" method="post" id="add-to-cart">
      <?= csrf_field() ?>
      <input type="hidden" name="product_id" value="<?= h($product['id']) ?>">
      <label>Quantity <input type="number" name="quantity" value="1" min="1" max="<?= h(min($product['stock'], CART_MAX_QUANTITY)) ?>"></label>
      <button type="submit">Add to cart</button>
    </form>
  <?php else: ?>
    <p class="stock">Out of stock</p>
  <?php endif ?>
</article>
