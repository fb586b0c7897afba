-- Reservation lines no longer reference products by foreign key. Inserting a line took a FOR KEY SHARE lock on its
-- product until commit, so the product row of a popular item was held by every open reservation at once (a
-- MultiXact of lockers), and the stock decrement each reservation makes at its end then deadlocked with another's:
-- at 16 concurrent customers on one product, Postgres reported `deadlock detected` (a wait for the tuple lock against
-- a wait for the other's transaction) every second or so, each after deadlock_timeout, and orders were cancelled.
-- The lines still only ever name existing products: they are written from the products row read in the same
-- transaction, and products are never deleted (the catalogue has no delete).
ALTER TABLE reservation_lines DROP CONSTRAINT IF EXISTS reservation_lines_sku_fkey;
