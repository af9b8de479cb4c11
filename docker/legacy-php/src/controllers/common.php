<?php
declare(strict_types=1);

function common_home(): void
{
    $featured = db_query(
        'SELECT ' . PRODUCT_COLUMNS . ' FROM legacy.products p JOIN legacy.categories c ON c.id = p.category_id
          WHERE p.active AND p.stock > 0 ORDER BY p.created_at DESC, p.id DESC LIMIT 8'
    )->fetchAll();
    render('home', ['title' => 'Ficus Shop', 'categories' => top_categories(), 'featured' => $featured]);
}
