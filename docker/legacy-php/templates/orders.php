<?php /** @var array $customer @var list<array> $orders */ ?>
<h1>Your orders</h1>
<p>Logged in as <?= h($customer['first_name'] . ' ' . $customer['last_name']) ?> (<?= h($customer['email']) ?>)</p>
<?php if ($orders === []): ?>
  <p class="empty">You have not ordered anything yet.</p>
<?php else: ?>
  <table class="orders">
    <tr><th>Order</th><th>Date (UTC)</th><th>Items</th><th>Status</th><th>Total</th></tr>
    <?php foreach ($orders as $order): ?>
      <tr class="order" data-order-number="<?= h($order['order_number']) ?>">
        <td><?= h($order['order_number']) ?></td>
        <td><?= h(substr($order['created_at'], 0, 16)) ?></td>
        <td><?= h($order['item_count']) ?></td>
        <td><?= h($order['status']) ?></td>
        <td><?= h(money($order['total_cents'], $order['currency'])) ?></td>
      </tr>
    <?php endforeach ?>
  </table>
<?php endif ?>
