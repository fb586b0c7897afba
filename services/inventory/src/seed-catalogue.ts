/**
 * The demo catalogue, inserted at start-up when `SEED_CATALOGUE=on` (products that already exist keep their stock).
 * Some skus are deliberately scarce so out-of-stock scenarios are one request away.
 */
import type { Database } from '@shop/db';
import { ProductStore, type ProductDetails } from './product-store';

export const seedCatalogue: readonly ({ sku: string } & ProductDetails)[] = [
  { sku: 'MUG-CLASSIC', name: 'Classic mug', price: { amountMinor: 1299, currency: 'EUR' }, stock: 100 },
  { sku: 'TEE-LOGO-M', name: 'Logo T-shirt (M)', price: { amountMinor: 2499, currency: 'EUR' }, stock: 50 },
  { sku: 'HOODIE-L', name: 'Hoodie (L)', price: { amountMinor: 5999, currency: 'EUR' }, stock: 20 },
  { sku: 'POSTER-LTD', name: 'Limited poster', price: { amountMinor: 1999, currency: 'EUR' }, stock: 3 },
  { sku: 'SNEAKER-42', name: 'Sneaker (42), last pair', price: { amountMinor: 8999, currency: 'EUR' }, stock: 1 },
];

/** With `SEED_CATALOGUE=on`, inserts the demo catalogue after the migrations (runService's `database.seed`). */
export async function seedDemoCatalogue({ db, config, logger }: SeedContext): Promise<void> {
  if (config.SEED_CATALOGUE !== 'on') return;
  const added = await new ProductStore(db).seed(seedCatalogue);
  logger.info({ added, catalogue: seedCatalogue.length }, 'demo catalogue seeded');
}

interface SeedContext {
  db: Database;
  config: { SEED_CATALOGUE: 'on' | 'off' };
  logger: { info(object: object, message: string): void };
}
