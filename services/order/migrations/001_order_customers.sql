-- The customer replica: who may place orders, kept from UserRegistered/UserUpdated so that placing an order never
-- calls the user service. `version` is the user's aggregateVersion: an older snapshot arriving late never wins.
CREATE TABLE customers (
  id text PRIMARY KEY,
  email text NOT NULL,
  name text NOT NULL,
  version integer NOT NULL,
  updated_at timestamptz NOT NULL
);
