-- The catalogue and its stock. `available` can still be reserved; `reserved` is held by open reservations.
-- The CHECKs are the last line of defence: no code path can ever drive stock below zero.
CREATE TABLE products (
  sku         text PRIMARY KEY,
  name        text NOT NULL,
  price_minor integer NOT NULL CHECK (price_minor >= 0),
  currency    text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  available   integer NOT NULL CHECK (available >= 0),
  reserved    integer NOT NULL DEFAULT 0 CHECK (reserved >= 0),
  version     integer NOT NULL DEFAULT 1,
  created_at  timestamptz NOT NULL,
  updated_at  timestamptz NOT NULL
);
