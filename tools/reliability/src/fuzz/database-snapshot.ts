/**
 * "No partial write" made checkable: a fingerprint of every table (row count + hash of the rows) taken before and
 * after a request. A rejected request must leave it unchanged.
 */
import type { Queryable } from '@shop/db';

export async function snapshotDatabase(db: Queryable): Promise<string> {
  const { rows: tables } = await db.query<{ name: string }>(
    `SELECT table_name AS name FROM information_schema.tables
      WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' AND table_name <> 'schema_migrations'
      ORDER BY table_name`,
  );
  const parts: string[] = [];
  for (const { name } of tables) {
    const { rows } = await db.query<{ n: number; h: string }>(
      `SELECT count(*)::int AS n, md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) AS h FROM "${name}" t`,
    );
    parts.push(`${name}:${rows[0]!.n}:${rows[0]!.h}`);
  }
  return parts.join(',');
}
