<?php
/** @var string $title @var string $content */
$customer = session_status() === PHP_SESSION_ACTIVE ? current_customer() : null;
$messages = session_status() === PHP_SESSION_ACTIVE ? take_flashes() : [];
$cartCount = cart_count();
?>
<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="UTF-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title><?= h($title) ?></title>
  <style>
    body { font-family: Georgia, serif; margin: 0 auto; max-width: 980px; padding: 0 16px; color: #222; }
    header { display: flex; gap: 16px; align-items: center; border-bottom: 2px solid #2f6b3a; padding: 12px 0; }
    header .logo { font-size: 1.4em; font-weight: bold; color: #2f6b3a; text-decoration: none; }
    header form.inline, form.inline { display: inline; }
    .products { display: grid; grid-template-columns: repeat(auto-fill, minmax(200px, 1fr)); gap: 12px; list-style: none; padding: 0; }
    .product { border: 1px solid #ddd; padding: 8px; }
    .price { font-weight: bold; color: #2f6b3a; }
    .flash { padding: 8px; margin: 8px 0; border: 1px solid #999; }
    .flash.error, .error { color: #a00; }
    table { border-collapse: collapse; } td, th { padding: 4px 8px; border-bottom: 1px solid #ddd; text-align: left; }
    footer { margin-top: 32px; border-top: 1px solid #ddd; padding: 8px 0; font-size: .8em; color: #666; }
  </style>
</head>
<body>
<header>
  <a class="logo" href="<?= h(url('common/home')) ?>">Ficus Shop</a>
  <a href="<?= h(url('product/list')) ?>">Products</a>
  <form class="inline" action="/index.php" method="get">
    <input type="hidden" name="route" value="product/search">
    <input type="search" name="q" placeholder="Search products" aria-label="Search products">
  </form>
  <a id="cart-link" href="<?= h(url('cart/view')) ?>">Cart (<span id="cart-count"><?= $cartCount ?></span>)</a>
  <?php if ($customer !== null): ?>
    <a href="<?= h(url('account/orders')) ?>" id="account-name"><?= h($customer['first_name']) ?></a>
    <form class="inline" action="<?= h(url('account/logout')) ?>" method="post"><?= csrf_field() ?><button type="submit">Log out</button></form>
  <?php else: ?>
    <a href="<?= h(url('account/login')) ?>">Log in</a>
    <a href="<?= h(url('account/register')) ?>">Register</a>
  <?php endif ?>
</header>
<?php foreach ($messages as $message): ?>
  <p class="flash <?= h($message['type']) ?>"><?= h($message['message']) ?></p>
<?php endforeach ?>
<main>
<?= $content ?>
</main>
<footer>Ficus Shop · est. 2012 · prices include VAT</footer>
</body>
</html>
