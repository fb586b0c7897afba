-- One reservation per order: the unique order_id is what makes reserve and release idempotent, and what lets a
-- release that arrives first leave a tombstone (status 'released', no lines) that a late reserve cannot get past.
CREATE TABLE reservations (
  id         uuid PRIMARY KEY,
  order_id   text NOT NULL UNIQUE,
  status     text NOT NULL CHECK (status IN ('reserved', 'committed', 'released')),
  -- True when a release arrived before any reserve: nothing was ever held.
  tombstone  boolean NOT NULL DEFAULT false,
  version    integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);

-- Each line keeps the price it was reserved at: the order service charges this snapshot, not today's price.
CREATE TABLE reservation_lines (
  reservation_id   uuid NOT NULL REFERENCES reservations (id),
  sku              text NOT NULL REFERENCES products (sku),
  name             text NOT NULL,
  quantity         integer NOT NULL CHECK (quantity > 0),
  unit_price_minor integer NOT NULL CHECK (unit_price_minor >= 0),
  currency         text NOT NULL,
  PRIMARY KEY (reservation_id, sku)
);
