<?php /** @var array $customer @var array $cart */ ?>
<h1>Confirm your order</h1>
<p>Ordering as <?= h($customer['email']) ?>. Pay on delivery.</p>
<table class="cart">
  <tr><th>Product</th><th>Quantity</th><th>Total</th></tr>
  <?php foreach ($cart['lines'] as $line): ?>
    <tr><td><?= h($line['product']['name']) ?></td><td><?= h($line['quantity']) ?></td><td><?= h(money($line['line_total_cents'])) ?></td></tr>
  <?php endforeach ?>
  <tr><th colspan="2">Total</th><th><?= h(money($cart['total_cents'], $cart['currency'])) ?></th></tr>
</table>
<form action="<?= h(url('checkout/confirm')) ?>" method="post" id="confirm-form">
  <?= csrf_field() ?>
  <button type="submit">Place order</button>
</form>
