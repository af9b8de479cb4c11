<?php /** @var array $order @var list<array> $items */ ?>
<h1>Thank you for your order</h1>
<p>Your order number is <strong id="order-number"><?= h($order['order_number']) ?></strong>.</p>
<ul>
  <?php foreach ($items as $item): ?>
    <li><?= h($item['quantity']) ?> × <?= h($item['name']) ?> (<?= h($item['sku']) ?>) at <?= h(money($item['unit_price_cents'], $order['currency'])) ?></li>
  <?php endforeach ?>
</ul>
<p>Total: <span class="price"><?= h(money($order['total_cents'], $order['currency'])) ?></span></p>
<p><a href="<?= h(url('account/orders')) ?>">See all your orders</a></p>
