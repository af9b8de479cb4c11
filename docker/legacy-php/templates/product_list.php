<?php
/** @var string $heading @var list<array> $categories @var ?array $result @var array $pageParams @var string $route */
$query ??= null;
?>
<h1><?= h($heading) ?></h1>
<nav class="categories">
  <a href="<?= h(url('product/list')) ?>">All</a>
  <?php foreach ($categories as $category): ?>
    · <a href="<?= h(url('product/list', ['category' => $category['slug']])) ?>"><?= h($category['name']) ?></a>
  <?php endforeach ?>
</nav>
<?php if ($query !== null): ?>
  <form action="/index.php" method="get">
    <input type="hidden" name="route" value="product/search">
    <input type="search" name="q" value="<?= h($query) ?>" aria-label="Search">
    <button type="submit">Search</button>
  </form>
<?php endif ?>
<?php if ($result === null): ?>
  <p>Type a product name or SKU to search.</p>
<?php elseif ($result['items'] === []): ?>
  <p class="empty">No products found.</p>
<?php else: ?>
  <p class="count"><?= h($result['total']) ?> products · page <?= h($result['page']) ?> of <?= h($result['pages']) ?></p>
  <ul class="products">
  <?php foreach ($result['items'] as $product) echo render_partial('_product_card', ['product' => $product]); ?>
  </ul>
  <nav class="pagination">
    <?php if ($result['page'] > 1): ?>
      <a rel="prev" href="<?= h(url($route, $pageParams + ['page' => $result['page'] - 1])) ?>">« Previous</a>
    <?php endif ?>
    <?php if ($result['page'] < $result['pages']): ?>
      <a rel="next" href="<?= h(url($route, $pageParams + ['page' => $result['page'] + 1])) ?>">Next »</a>
    <?php endif ?>
  </nav>
<?php endif ?>
