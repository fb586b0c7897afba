/** The catalogue: plain SQL over @shop/db. A sku is unique because it is the primary key, not because we checked first. */
import { systemClock, type Clock } from '@shop/clock';
import { isUniqueViolation, type Database } from '@shop/db';
import type { Money } from './domain/money';
import type { Product } from './domain/product';

export class ProductExistsError extends Error {
  constructor(readonly sku: string) {
    super(`A product with sku ${sku} already exists`);
    this.name = 'ProductExistsError';
  }
}

export class InvalidCursorError extends Error {}

export interface ProductDetails {
  name: string;
  price: Money;
  /** Units that can be reserved. */
  stock: number;
}

export interface ProductPage {
  products: Product[];
  nextCursor: string | null;
}

interface ProductRow {
  sku: string;
  name: string;
  price_minor: number;
  currency: string;
  available: number;
  reserved: number;
  version: number;
  created_at: Date | string;
  updated_at: Date | string;
}

const COLUMNS = 'sku, name, price_minor, currency, available, reserved, version, created_at, updated_at';

function toProduct(row: ProductRow): Product {
  return {
    sku: row.sku,
    name: row.name,
    price: { amountMinor: row.price_minor, currency: row.currency },
    stock: row.available,
    reserved: row.reserved,
    version: row.version,
    createdAt: new Date(row.created_at).toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
  };
}

/** Opaque cursor: the last sku of the page (skus are unique, so they alone order the catalogue). */
const encodeCursor = (sku: string) => Buffer.from(sku, 'utf8').toString('base64url');
const decodeCursor = (cursor: string) => Buffer.from(cursor, 'base64url').toString('utf8');

export class ProductStore {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock = systemClock,
  ) {}

  /** Wall time from the injected clock, as the Date the SQL and the events take (a function: it is passed on). */
  private readonly now = (): Date => new Date(this.clock.now());

  async create(sku: string, details: ProductDetails): Promise<Product> {
    try {
      const { rows } = await this.db.query<ProductRow>(
        `INSERT INTO products (sku, name, price_minor, currency, available, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING ${COLUMNS}`,
        [sku, details.name, details.price.amountMinor, details.price.currency, details.stock, this.now()],
      );
      return toProduct(rows[0]!);
    } catch (error) {
      if (isUniqueViolation(error)) throw new ProductExistsError(sku);
      throw error;
    }
  }

  /**
   * Creates the product or replaces its name, price and reservable stock (an admin's recount). Units already held by
   * reservations are untouched: they are returned or consumed by release and commit.
   */
  async put(sku: string, details: ProductDetails): Promise<{ product: Product; created: boolean }> {
    const { rows } = await this.db.query<ProductRow & { inserted: boolean }>(
      `INSERT INTO products (sku, name, price_minor, currency, available, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $6)
       ON CONFLICT (sku) DO UPDATE SET
         name = EXCLUDED.name, price_minor = EXCLUDED.price_minor, currency = EXCLUDED.currency,
         available = EXCLUDED.available, version = products.version + 1, updated_at = EXCLUDED.updated_at
       RETURNING ${COLUMNS}, (xmax = 0) AS inserted`,
      // xmax is 0 only on a freshly inserted row version: it tells "created" from "updated" in one round trip.
      [sku, details.name, details.price.amountMinor, details.price.currency, details.stock, this.now()],
    );
    return { product: toProduct(rows[0]!), created: rows[0]!.inserted };
  }

  /** Inserts the products that do not exist yet; existing ones (and their stock) are left alone. Returns how many were added. */
  async seed(products: readonly ({ sku: string } & ProductDetails)[]): Promise<number> {
    let added = 0;
    for (const product of products) {
      const { rowCount } = await this.db.query(
        `INSERT INTO products (sku, name, price_minor, currency, available, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $6) ON CONFLICT (sku) DO NOTHING`,
        [product.sku, product.name, product.price.amountMinor, product.price.currency, product.stock, this.now()],
      );
      added += rowCount;
    }
    return added;
  }

  async get(sku: string): Promise<Product | undefined> {
    const { rows } = await this.db.query<ProductRow>(`SELECT ${COLUMNS} FROM products WHERE sku = $1`, [sku]);
    return rows[0] && toProduct(rows[0]);
  }

  async list({ limit, cursor }: { limit: number; cursor?: string }): Promise<ProductPage> {
    const after = cursor === undefined ? undefined : decodeCursor(cursor);
    if (cursor !== undefined && (!after || encodeCursor(after) !== cursor)) {
      throw new InvalidCursorError('cursor is not one this API issued');
    }
    const { rows } =
      after === undefined
        ? await this.db.query<ProductRow>(`SELECT ${COLUMNS} FROM products ORDER BY sku LIMIT $1`, [limit + 1])
        : await this.db.query<ProductRow>(`SELECT ${COLUMNS} FROM products WHERE sku > $1 ORDER BY sku LIMIT $2`, [
            after,
            limit + 1,
          ]);
    const products = rows.slice(0, limit).map(toProduct);
    return { products, nextCursor: rows.length > limit ? encodeCursor(products[products.length - 1]!.sku) : null };
  }
}
