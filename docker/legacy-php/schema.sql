-- The legacy shop's own tables, in the `legacy` schema. Idempotent: bin/setup.php applies it on
-- every start. Money is integer cents plus a currency code; timestamps are timestamptz (UTC).
CREATE SCHEMA IF NOT EXISTS legacy;

CREATE TABLE IF NOT EXISTS legacy.categories (
  id         serial PRIMARY KEY,
  parent_id  integer REFERENCES legacy.categories (id),
  slug       text NOT NULL UNIQUE,
  name       text NOT NULL,
  sort_order integer NOT NULL DEFAULT 0
);

CREATE TABLE IF NOT EXISTS legacy.products (
  id          serial PRIMARY KEY,
  sku         text NOT NULL UNIQUE,
  category_id integer NOT NULL REFERENCES legacy.categories (id),
  name        text NOT NULL,
  description text NOT NULL DEFAULT '',
  price_cents integer NOT NULL CHECK (price_cents >= 0),
  currency    char(3) NOT NULL DEFAULT 'EUR',
  stock       integer NOT NULL DEFAULT 0 CHECK (stock >= 0),
  active      boolean NOT NULL DEFAULT true,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS products_category_id_idx ON legacy.products (category_id);

CREATE TABLE IF NOT EXISTS legacy.customers (
  id            serial PRIMARY KEY,
  email         text NOT NULL UNIQUE CHECK (email = lower(email)),
  first_name    text NOT NULL,
  last_name     text NOT NULL,
  password_hash text NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  last_login_at timestamptz
);

-- Seeded orders are numbered L100001...; orders placed in the shop from L200001.
CREATE SEQUENCE IF NOT EXISTS legacy.order_number_seq START 200001;

CREATE TABLE IF NOT EXISTS legacy.orders (
  id           serial PRIMARY KEY,
  order_number text NOT NULL UNIQUE DEFAULT ('L' || nextval('legacy.order_number_seq')),
  customer_id  integer NOT NULL REFERENCES legacy.customers (id),
  status       text NOT NULL CHECK (status IN ('pending', 'paid', 'shipped', 'cancelled')),
  currency     char(3) NOT NULL DEFAULT 'EUR',
  total_cents  integer NOT NULL CHECK (total_cents >= 0),
  created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS orders_customer_id_idx ON legacy.orders (customer_id);

CREATE TABLE IF NOT EXISTS legacy.order_items (
  id               serial PRIMARY KEY,
  order_id         integer NOT NULL REFERENCES legacy.orders (id) ON DELETE CASCADE,
  product_id       integer NOT NULL REFERENCES legacy.products (id),
  sku              text NOT NULL,
  name             text NOT NULL,
  unit_price_cents integer NOT NULL CHECK (unit_price_cents >= 0),
  quantity         integer NOT NULL CHECK (quantity > 0),
  UNIQUE (order_id, product_id)
);
