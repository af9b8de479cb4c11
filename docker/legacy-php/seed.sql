-- A small, realistic catalog for the legacy shop: 9 categories, 200 products (4 inactive, some
-- out of stock), 5 customers and 12 orders. Idempotent: every row is keyed on a natural key
-- (slug, SKU, email, order number) and skipped when present, so a re-run changes nothing.
-- Every demo customer's password is `shop-demo-1` (bcrypt hashes below).

INSERT INTO legacy.categories (parent_id, slug, name, sort_order) VALUES
  (NULL, 'home', 'Home & Living', 1),
  (NULL, 'apparel', 'Apparel', 2),
  (NULL, 'books', 'Books', 3),
  (NULL, 'stationery', 'Stationery', 4),
  (NULL, 'toys', 'Toys & Games', 5),
  (NULL, 'tech', 'Tech Accessories', 6)
ON CONFLICT (slug) DO NOTHING;

INSERT INTO legacy.categories (parent_id, slug, name, sort_order)
SELECT parent.id, child.slug, child.name, child.sort_order
FROM (VALUES ('kitchen', 'Kitchen', 1), ('decor', 'Home Décor', 2), ('garden', 'Garden', 3)) AS child (slug, name, sort_order)
JOIN legacy.categories parent ON parent.slug = 'home'
ON CONFLICT (slug) DO NOTHING;

-- 25 products in each of the 8 leaf categories: 5 adjectives x 5 nouns, prices ending in 99.
INSERT INTO legacy.products (sku, category_id, name, description, price_cents, currency, stock, active, created_at, updated_at)
SELECT
  leaf.code || '-' || lpad(n::text, 4, '0'),
  category.id,
  adjective || ' ' || noun,
  'A ' || lower(adjective) || ' ' || lower(noun) || ' from our ' || category.name || ' range. Ships within 2 working days.',
  ((n * 7919) % 60 + 4) * 100 - 1,
  'EUR',
  CASE WHEN n % 17 = 0 THEN 0 ELSE (n * 37) % 80 + 1 END,
  n % 50 <> 0,
  timestamptz '2012-03-01 09:00:00+00' + n * interval '3 days 5 hours',
  timestamptz '2012-03-01 09:00:00+00' + n * interval '3 days 5 hours'
FROM generate_series(1, 200) AS n
CROSS JOIN LATERAL (SELECT (n - 1) % 8 + 1 AS leaf_index, (n - 1) / 8 AS variant) AS pick
JOIN (VALUES
  (1, 'kitchen', 'KIT', ARRAY['Café Mug', 'Chef''s Knife', 'Teapot', 'Cutting Board', 'Espresso Cup']),
  (2, 'decor', 'DEC', ARRAY['Candle Holder', 'Wall Clock', 'Cushion Cover', 'Picture Frame', 'Vase']),
  (3, 'garden', 'GAR', ARRAY['Watering Can', 'Plant Pot', 'Pruning Shears', 'Bird Feeder', 'Garden Gloves']),
  (4, 'apparel', 'APP', ARRAY['T-Shirt', 'Hoodie', 'Beanie', 'Scarf', 'Socks (3 pairs)']),
  (5, 'books', 'BOO', ARRAY['Cookbook', 'Travel Guide', 'Sketchbook', 'Novel', 'Atlas']),
  (6, 'stationery', 'STA', ARRAY['Notebook', 'Fountain Pen', 'Pencil Set', 'Desk Planner', 'Letter Opener']),
  (7, 'toys', 'TOY', ARRAY['Puzzle (1000 pieces)', 'Board Game', 'Kite', 'Yo-Yo', 'Building Blocks']),
  (8, 'tech', 'TEC', ARRAY['USB-C Cable', 'Phone Stand', 'Laptop Sleeve', 'Power Bank', 'Mouse Pad'])
) AS leaf (leaf_index, slug, code, nouns) ON leaf.leaf_index = pick.leaf_index
JOIN legacy.categories category ON category.slug = leaf.slug
CROSS JOIN LATERAL (SELECT
  (ARRAY['Classic', 'Rustic', 'Nordic', 'Vintage', 'Bold'])[pick.variant / 5 + 1] AS adjective,
  leaf.nouns[pick.variant % 5 + 1] AS noun) AS words
ORDER BY n
ON CONFLICT (sku) DO NOTHING;

INSERT INTO legacy.customers (email, first_name, last_name, password_hash, created_at) VALUES
  ('ann@example.com', 'Ann', 'Archer', '$2y$10$5wcOz0z71bqkg6BpTks.e.uTV4NDqZZXNGkqav9UIhFESI3tdYytK', '2012-04-02 10:15:00+00'),
  ('bob@example.com', 'Bob', 'Brennan', '$2y$10$c0bZxziD65sBVNzbKxOI6u5FE1uA4dNIBAJSVrTfDow3RV3UJncXG', '2012-06-19 18:40:00+00'),
  ('chloe@example.com', 'Chloé', 'Dubois', '$2y$10$TB1euBObsp5IcxUPWF5at.wC8xE0W8SZ8bLrp0J5ZVHaDS6xT.bV.', '2013-01-07 08:05:00+00'),
  ('dmitri@example.com', 'Dmitri', 'Volkov', '$2y$10$wYQNVq8/SgHZR6Khh.KZxeyF2rr.dKS4uDclxLoXUCLwdp.V/Adcu', '2014-11-23 21:30:00+00'),
  ('eve@example.com', 'Eve', 'O''Neill', '$2y$10$Sztel9dGyeMIBlx2GyTPDeQUpnMDUtXVBSsiCIWCd6vQ.fEoYTJ22', '2016-02-29 12:00:00+00')
ON CONFLICT (email) DO NOTHING;

-- Order lines name products by SKU; unit prices and names are copied as they were at purchase.
CREATE TEMPORARY TABLE seed_order_lines (order_number text, sku text, quantity integer) ON COMMIT DROP;
INSERT INTO seed_order_lines VALUES
  ('L100001', 'KIT-0001', 2), ('L100001', 'STA-0006', 1),
  ('L100002', 'APP-0004', 1),
  ('L100003', 'BOO-0005', 1), ('L100003', 'BOO-0013', 1), ('L100003', 'DEC-0002', 3),
  ('L100004', 'TEC-0008', 2),
  ('L100005', 'GAR-0003', 1), ('L100005', 'GAR-0011', 4),
  ('L100006', 'TOY-0007', 1),
  ('L100007', 'KIT-0009', 1), ('L100007', 'APP-0012', 2),
  ('L100008', 'STA-0014', 5),
  ('L100009', 'DEC-0010', 1),
  ('L100010', 'TEC-0016', 1), ('L100010', 'KIT-0017', 1),
  ('L100011', 'APP-0020', 1),
  ('L100012', 'TOY-0015', 2), ('L100012', 'BOO-0021', 1);

INSERT INTO legacy.orders (order_number, customer_id, status, currency, total_cents, created_at)
SELECT seed.order_number, customer.id, seed.status, 'EUR',
  (SELECT sum(line.quantity * product.price_cents)
     FROM seed_order_lines line JOIN legacy.products product ON product.sku = line.sku
    WHERE line.order_number = seed.order_number),
  seed.created_at::timestamptz
FROM (VALUES
  ('L100001', 'ann@example.com', 'shipped', '2012-05-04 14:22:10+00'),
  ('L100002', 'ann@example.com', 'shipped', '2013-12-11 09:01:45+00'),
  ('L100003', 'bob@example.com', 'shipped', '2012-07-01 20:13:00+00'),
  ('L100004', 'bob@example.com', 'cancelled', '2014-03-15 11:45:30+00'),
  ('L100005', 'chloe@example.com', 'shipped', '2013-04-20 16:30:00+00'),
  ('L100006', 'chloe@example.com', 'shipped', '2015-12-02 07:55:12+00'),
  ('L100007', 'chloe@example.com', 'paid', '2019-08-30 13:10:00+00'),
  ('L100008', 'dmitri@example.com', 'shipped', '2015-01-09 22:40:05+00'),
  ('L100009', 'dmitri@example.com', 'paid', '2020-06-17 10:00:00+00'),
  ('L100010', 'eve@example.com', 'shipped', '2016-03-03 19:20:00+00'),
  ('L100011', 'eve@example.com', 'pending', '2021-11-26 23:59:59+00'),
  ('L100012', 'ann@example.com', 'paid', '2022-02-14 08:30:00+00')
) AS seed (order_number, email, status, created_at)
JOIN legacy.customers customer ON customer.email = seed.email
ORDER BY seed.order_number
ON CONFLICT (order_number) DO NOTHING;

INSERT INTO legacy.order_items (order_id, product_id, sku, name, unit_price_cents, quantity)
SELECT o.id, product.id, product.sku, product.name, product.price_cents, line.quantity
FROM seed_order_lines line
JOIN legacy.orders o ON o.order_number = line.order_number
JOIN legacy.products product ON product.sku = line.sku
ORDER BY o.id, product.id
ON CONFLICT (order_id, product_id) DO NOTHING;
