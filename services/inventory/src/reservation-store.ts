/**
 * Reservations: all-or-nothing holds on stock, one per order, idempotent by orderId.
 *
 * Product rows are what concurrent customers contend on, so a transaction locks them only in its last statement:
 * reserve, release and commit each do everything that does not need a product lock first (claim or lock the order's
 * reservation, read the catalogue, validate, write lines, the status change and the outbox event), then move the stock
 * in one statement (`moveStock`), then COMMIT. A product row is locked for one statement and the commit, never while
 * Node works or other rows are written. It is one transaction throughout, so a refusal still rolls everything back.
 *
 * What the database guarantees, and why the statement is shaped as it is:
 * - The rows are locked in sku order (`ORDER BY sku FOR NO KEY UPDATE`: Postgres locks rows in the order it returns
 *   them), and a transaction holding product locks waits for nothing else before it commits: no cycle of waits, no
 *   deadlock on Postgres, however the items are listed.
 * - No foreign key from reservation lines to products (migration 003): inserting a line would take a `FOR KEY SHARE`
 *   lock on its product until commit, so a popular product's row was held by every open reservation at once, and
 *   the decrement at their ends deadlocked two of them (`deadlock detected` every second at 16 customers on one
 *   product). Lines are written from the product row read in the same transaction, and products are never deleted.
 *   `FOR NO KEY UPDATE` is the lock the UPDATE takes anyway; it leaves key-share lockers (none of ours now) alone.
 * - The decrement is conditional (`available + delta >= 0`), checked on the row as the lock returned it (the newest
 *   committed version, which nobody else can change until we commit), and backed by a CHECK constraint: stock never
 *   goes negative. Any short sku throws and rolls back all.
 * - The unique `order_id` decides which of several concurrent requests for one order does the work (the others wait
 *   for it on the index, then read its result), and lets a release that arrives first leave a tombstone.
 *
 * Prices are read without a lock, in the same transaction, just before the decrement. A price change (`PUT
 * /products`) that commits between that read and the decrement is not in the lines: the reservation keeps the price it
 * read, as it keeps it against any later change. The two requests were concurrent, so either price is a fair
 * snapshot, and one statement reads every line, so a reservation never mixes old and new prices. Locking for the
 * whole transaction to exclude that window is what made customers queue on popular products.
 */
import { systemClock, type Clock } from '@shop/clock';
import { randomUUID } from 'node:crypto';
import { alongside, runStatement, type Database, type Queryable, type Statement } from '@shop/db';
import { enqueueEvents, outboxInsert } from '@shop/messaging';
import {
  totalOf,
  sameItems,
  type RequestedItem,
  type Reservation,
  type ReservationLine,
  type ReservationStatus,
} from './domain/reservation';
import { stockReleased, stockReserved, type EventContext } from './reservation-events';
import {
  InsufficientStockError,
  MixedCurrenciesError,
  ReservationMismatchError,
  ReservationNotFoundError,
  ReservationStateError,
  UnknownSkusError,
  type Shortage,
} from './reservation-errors';

interface ReservationRow {
  id: string;
  order_id: string;
  status: ReservationStatus;
  tombstone: boolean;
  version: number;
  created_at: Date | string;
  updated_at: Date | string;
}

interface LineRow {
  sku: string;
  name: string;
  quantity: number;
  unit_price_minor: number;
  currency: string;
}

/** A product as reserve reads it, without a lock. */
interface CatalogueRow {
  sku: string;
  name: string;
  price_minor: number;
  currency: string;
  available: number;
}

/** One product's stock change: deltas added to `available` and `reserved`. */
interface StockMove {
  sku: string;
  available: number;
  reserved: number;
}

/** A move refused because `available` would go negative, with the units there were once the row was locked. */
interface RefusedMove {
  sku: string;
  available: number;
}

const RESERVATION_COLUMNS = 'id, order_id, status, tombstone, version, created_at, updated_at';

function toLine(row: LineRow): ReservationLine {
  return {
    sku: row.sku,
    name: row.name,
    quantity: row.quantity,
    unitPrice: { amountMinor: row.unit_price_minor, currency: row.currency },
    lineTotal: { amountMinor: row.unit_price_minor * row.quantity, currency: row.currency },
  };
}

/** The insert of a reservation's lines, as a statement (reserve sends it together with the event). */
function linesInsert(reservationId: string, lines: readonly ReservationLine[]): Statement {
  const params: unknown[] = [reservationId];
  const values = lines.map((line) => {
    params.push(line.sku, line.name, line.quantity, line.unitPrice.amountMinor, line.unitPrice.currency);
    const n = params.length;
    return `($1, $${n - 4}, $${n - 3}, $${n - 2}, $${n - 1}, $${n})`;
  });
  return {
    sql: `INSERT INTO reservation_lines (reservation_id, sku, name, quantity, unit_price_minor, currency)
       VALUES ${values.join(', ')}`,
    params,
  };
}

function toReservation(row: ReservationRow, lines: ReservationLine[]): Reservation {
  return {
    id: row.id,
    orderId: row.order_id,
    status: row.status,
    tombstone: row.tombstone,
    lines,
    total: totalOf(lines),
    version: row.version,
    createdAt: new Date(row.created_at).toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
  };
}

/** One shortage per refused sku: what the request wanted and what there was. */
function shortagesOf(
  requested: readonly { sku: string; quantity: number }[],
  refused: readonly { sku: string; available: number }[],
): Shortage[] {
  return refused.map(({ sku, available }) => ({
    sku,
    requested: requested.find((item) => item.sku === sku)!.quantity,
    available,
  }));
}

const bySku = <T extends { sku: string }>(a: T, b: T) => (a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : 0);

export interface ReserveResult {
  reservation: Reservation;
  /** False when this was a repeat answered with the reservation made earlier. */
  created: boolean;
}

export interface ReservationStoreOptions {
  clock?: Clock;
  /** Called after a transaction that wrote events commits (the outbox relay's `wake`). */
  onEventsCommitted?: () => void;
}

export class ReservationStore {
  private readonly clock: Clock;
  private readonly onEventsCommitted: () => void;

  constructor(
    private readonly db: Database,
    options: ReservationStoreOptions = {},
  ) {
    this.clock = options.clock ?? systemClock;
    this.onEventsCommitted = options.onEventsCommitted ?? (() => undefined);
  }

  /** Wall time from the injected clock, as the Date the SQL and the events take (a function: it is passed on). */
  private readonly now = (): Date => new Date(this.clock.now());

  /** Reserves every item or none. Items must name distinct skus. */
  async reserve(orderId: string, items: readonly RequestedItem[], context: EventContext): Promise<ReserveResult> {
    const result = await this.db.transaction(async (tx) => {
      const now = this.now();
      // Claim the order first. A concurrent claim for the same order waits here until ours commits or rolls back.
      const claimed = await tx.query<ReservationRow>(
        `INSERT INTO reservations (id, order_id, status, created_at, updated_at) VALUES ($1, $2, 'reserved', $3, $3)
         ON CONFLICT (order_id) DO NOTHING RETURNING ${RESERVATION_COLUMNS}`,
        [randomUUID(), orderId, now],
      );
      if (!claimed.rows[0]) return { reservation: await this.answerRepeat(tx, orderId, items), created: false };

      const lines = await this.priceLines(tx, items);
      const reservation = toReservation(claimed.rows[0], lines);
      // The lines and the event in one statement: both only write, and neither touches the other's rows.
      await runStatement(
        tx,
        alongside(linesInsert(reservation.id, lines), outboxInsert([stockReserved(reservation, context, now)])),
      );
      // Last, so the product rows are locked only from here to COMMIT.
      const refused = await this.moveStock(
        tx,
        lines.map(({ sku, quantity }) => ({ sku, available: -quantity, reserved: quantity })),
      );
      // Throwing rolls back the decrements that did succeed, the lines, the event and the claim: all or nothing.
      if (refused.length > 0) throw new InsufficientStockError(shortagesOf(lines, refused));
      return { reservation, created: true };
    });
    if (result.created) this.onEventsCommitted();
    return result;
  }

  /**
   * Returns a reservation's stock. Idempotent: releasing twice returns stock once. A release for an order with no
   * reservation yet records a tombstone, so a reserve that arrives later (a delayed retry) is refused.
   */
  async release(orderId: string, reason: string, context: EventContext): Promise<Reservation> {
    const { reservation, changed } = await this.db.transaction(async (tx) => {
      const now = this.now();
      let existing = await this.find(tx, orderId, { lock: true });
      if (!existing) {
        const tombstone = await tx.query<ReservationRow>(
          `INSERT INTO reservations (id, order_id, status, tombstone, created_at, updated_at)
           VALUES ($1, $2, 'released', true, $3, $3)
           ON CONFLICT (order_id) DO NOTHING RETURNING ${RESERVATION_COLUMNS}`,
          [randomUUID(), orderId, now],
        );
        if (tombstone.rows[0]) return { reservation: toReservation(tombstone.rows[0], []), changed: false };
        // A reserve for this order committed while we looked: release what it took.
        existing = (await this.find(tx, orderId, { lock: true }))!;
      }
      if (existing.status === 'released') return { reservation: existing, changed: false };
      if (existing.status === 'committed') throw new ReservationStateError(existing, 'release');

      const released = await this.transition(tx, existing, 'released', now);
      await enqueueEvents(tx, [stockReleased(released, reason, context, now)]);
      await this.moveStock(
        tx,
        existing.lines.map(({ sku, quantity }) => ({ sku, available: quantity, reserved: -quantity })),
      );
      return { reservation: released, changed: true };
    });
    if (changed) this.onEventsCommitted();
    return reservation;
  }

  /** Makes a reservation final (the order is confirmed): the held units leave the stock for good. Idempotent. */
  async commit(orderId: string): Promise<Reservation> {
    return this.db.transaction(async (tx) => {
      const existing = await this.find(tx, orderId, { lock: true });
      if (!existing) throw new ReservationNotFoundError(orderId);
      if (existing.status === 'committed') return existing;
      if (existing.status === 'released') throw new ReservationStateError(existing, 'commit');
      const committed = await this.transition(tx, existing, 'committed', this.now());
      await this.moveStock(
        tx,
        existing.lines.map(({ sku, quantity }) => ({ sku, available: 0, reserved: -quantity })),
      );
      return committed;
    });
  }

  async findByOrderId(orderId: string): Promise<Reservation | undefined> {
    return this.find(this.db, orderId, { lock: false });
  }

  /** A repeat of reserve: the same items get the original answer; anything else is refused. */
  private async answerRepeat(tx: Queryable, orderId: string, items: readonly RequestedItem[]): Promise<Reservation> {
    const existing = await this.find(tx, orderId, { lock: false });
    if (!existing) throw new Error(`reservation of order ${orderId} vanished after a conflicting insert`);
    if (existing.status === 'released') throw new ReservationStateError(existing, 'reserve');
    if (!sameItems(existing.lines, items)) throw new ReservationMismatchError(existing);
    return existing;
  }

  /**
   * The lines at today's prices, read without a lock. Unknown skus, mixed currencies and stock already short in this
   * read are refused here, before anything is written or locked; stock that looks sufficient is only promised by
   * `moveStock`.
   */
  private async priceLines(tx: Queryable, items: readonly RequestedItem[]): Promise<ReservationLine[]> {
    const sorted = [...items].sort(bySku);
    const { rows: products } = await tx.query<CatalogueRow>(
      'SELECT sku, name, price_minor, currency, available FROM products WHERE sku = ANY($1::text[])',
      [sorted.map((item) => item.sku)],
    );
    const product = new Map(products.map((row) => [row.sku, row]));
    const unknown = sorted.filter((item) => !product.has(item.sku)).map((item) => item.sku);
    if (unknown.length > 0) throw new UnknownSkusError(unknown);
    const currencies = [...new Set(products.map((row) => row.currency))].sort();
    if (currencies.length > 1) throw new MixedCurrenciesError(currencies);
    const short = sorted.map((item) => product.get(item.sku)!).filter((row, i) => row.available < sorted[i]!.quantity);
    if (short.length > 0) throw new InsufficientStockError(shortagesOf(sorted, short));

    return sorted.map((item) => {
      const row = product.get(item.sku)!;
      return {
        sku: item.sku,
        name: row.name,
        quantity: item.quantity,
        unitPrice: { amountMinor: row.price_minor, currency: row.currency },
        lineTotal: { amountMinor: row.price_minor * item.quantity, currency: row.currency },
      };
    });
  }

  /**
   * Applies every move in one statement, the only one that locks product rows: locked in sku order, each updated
   * unless its `available` would go below zero. Returns the refused moves (none for release and commit, whose deltas
   * only return or consume units held). Callers issue it last, just before COMMIT — see the file header.
   */
  private async moveStock(tx: Queryable, moves: readonly StockMove[]): Promise<RefusedMove[]> {
    if (moves.length === 0) return [];
    const { rows } = await tx.query<RefusedMove & { moved: boolean }>(
      `WITH move AS (
         SELECT * FROM unnest($1::text[], $2::int[], $3::int[]) AS move (sku, available, reserved)
       ),
       locked AS MATERIALIZED (
         SELECT sku, available FROM products WHERE sku = ANY($1::text[]) ORDER BY sku FOR NO KEY UPDATE
       ),
       moved AS (
         UPDATE products
         SET available = products.available + move.available, reserved = products.reserved + move.reserved
         FROM move JOIN locked USING (sku)
         -- locked.available, not products.available: the row as the lock found it, not as the statement's
         -- snapshot (maybe older) showed it, so a refusal and the units it reports agree.
         WHERE products.sku = move.sku AND locked.available + move.available >= 0
         RETURNING products.sku
       )
       SELECT locked.sku, locked.available, moved.sku IS NOT NULL AS moved
       FROM locked LEFT JOIN moved USING (sku) ORDER BY locked.sku`,
      [moves.map((move) => move.sku), moves.map((move) => move.available), moves.map((move) => move.reserved)],
    );
    return rows.filter((row) => !row.moved).map(({ sku, available }) => ({ sku, available }));
  }

  private async transition(
    tx: Queryable,
    existing: Reservation,
    status: ReservationStatus,
    now: Date,
  ): Promise<Reservation> {
    const { rows } = await tx.query<ReservationRow>(
      `UPDATE reservations SET status = $2, version = version + 1, updated_at = $3 WHERE id = $1
       RETURNING ${RESERVATION_COLUMNS}`,
      [existing.id, status, now],
    );
    return toReservation(rows[0]!, existing.lines);
  }

  private async find(q: Queryable, orderId: string, { lock }: { lock: boolean }): Promise<Reservation | undefined> {
    // The lines come along as JSON (one round trip); FOR UPDATE locks the reservation row only.
    const { rows } = await q.query<ReservationRow & { lines: LineRow[] }>(
      `SELECT ${RESERVATION_COLUMNS},
              coalesce((SELECT json_agg(l ORDER BY l.sku) FROM (
                SELECT sku, name, quantity, unit_price_minor, currency FROM reservation_lines
                 WHERE reservation_id = reservations.id) l), '[]') AS lines
         FROM reservations WHERE order_id = $1${lock ? ' FOR UPDATE OF reservations' : ''}`,
      [orderId],
    );
    if (!rows[0]) return undefined;
    return toReservation(rows[0], rows[0].lines.map(toLine));
  }
}
