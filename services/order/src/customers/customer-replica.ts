/**
 * The local copy of the user service's customers, fed by UserRegistered/UserUpdated. Placing an order checks this
 * table — no synchronous call to the user service, so orders keep working while it is down. Both events carry the
 * full snapshot; the user's aggregateVersion decides, so a stale or duplicated event never overwrites a newer one.
 */
import type { EventOf } from '@shop/contracts';
import type { Queryable } from '@shop/db';

export type CustomerSnapshotEvent = EventOf<'UserRegistered'> | EventOf<'UserUpdated'>;

export async function applyCustomerSnapshot(tx: Queryable, event: CustomerSnapshotEvent): Promise<void> {
  const { userId, email, name } = event.data;
  await tx.query(
    `INSERT INTO customers (id, email, name, version, updated_at) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (id) DO UPDATE SET email = EXCLUDED.email, name = EXCLUDED.name, version = EXCLUDED.version,
                                    updated_at = EXCLUDED.updated_at
     WHERE customers.version < EXCLUDED.version`,
    [userId, email, name, event.aggregateVersion, event.occurredAt],
  );
}

export async function customerExists(db: Queryable, customerId: string): Promise<boolean> {
  const { rows } = await db.query('SELECT 1 FROM customers WHERE id = $1', [customerId]);
  return rows.length > 0;
}
