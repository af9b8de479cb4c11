<?php /** @var array $product */ ?>
<li class="product" data-product-id="<?= h($product['id']) ?>" data-sku="<?= h($product['sku']) ?>">
  <a href="<?= h(url('product/view', ['id' => $product['id']])) ?>" class="name"><?= h($product['name']) ?></a>
  <div class="sku"><?= h($product['sku']) ?></div>
  <div class="price"><?= h(money($product['price_cents'], $product['currency'])) ?></div>
  <div class="stock"><?= $product['stock'] > 0 ? 'In stock' : 'Out of stock' ?></div>
</li>
