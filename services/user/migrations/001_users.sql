CREATE TABLE users (
  id uuid PRIMARY KEY,
  email text NOT NULL,
  name text NOT NULL,
  shipping_address jsonb NOT NULL,
  password_hash text NOT NULL,
  version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);

-- Emails are unique regardless of case: the database enforces it, so concurrent registrations cannot both win.
CREATE UNIQUE INDEX users_email_unique ON users (lower(email));
-- Keyset pagination walks (created_at, id).
CREATE INDEX users_created_at_id ON users (created_at, id);
