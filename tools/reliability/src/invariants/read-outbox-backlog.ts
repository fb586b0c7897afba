/**
 * "Every outbox row published" is a fact only each service's database knows. Once the services have stopped, open
 * their PGlite data directories (one process at a time may hold a PGlite directory) and count what is still pending.
 */
import { join } from 'node:path';
import { openDatabase } from '@shop/db';

export const OUTBOX_SERVICES = ['user', 'inventory', 'payment', 'shipping', 'order'] as const;

export async function readOutboxBacklog(dataDir: string): Promise<Record<string, number>> {
  const pending: Record<string, number> = {};
  for (const service of OUTBOX_SERVICES) {
    const db = await openDatabase({ dataDir: join(dataDir, service) });
    try {
      const { rows } = await db.query<{ pending: number }>(
        'SELECT count(*)::int AS pending FROM outbox WHERE published_at IS NULL',
      );
      pending[service] = rows[0]!.pending;
    } finally {
      await db.close();
    }
  }
  return pending;
}
