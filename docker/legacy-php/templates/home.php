<?php /** @var list<array> $categories @var list<array> $featured */ ?>
<h1>Welcome to Ficus Shop</h1>
<h2>Shop by category</h2>
<ul class="categories">
<?php foreach ($categories as $category): ?>
  <li><a href="<?= h(url('product/list', ['category' => $category['slug']])) ?>"><?= h($category['name']) ?></a> (<?= h($category['product_count']) ?>)</li>
<?php endforeach ?>
</ul>
<h2>New in</h2>
<ul class="products">
<?php foreach ($featured as $product) echo render_partial('_product_card', ['product' => $product]); ?>
</ul>
