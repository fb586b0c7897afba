/**
 * Reservations: all-or-nothing holds on stock, one per order, idempotent by orderId.
 *
 * Product rows are what concurrent customers contend on, so they are locked only inside the one statement that
 * moves their stock, never while Node works or another round trip is under way:
 * - **reserve** reads the catalogue (prices, availability; no lock, no transaction), then sends ONE statement: the
 *   claim of the order, the lines, the StockReserved outbox row and the stock move (`alongside`; autocommit, so the
 *   product rows are locked from that statement's move to its own commit);
 * - **commit** is ONE statement: the reservation's status change, and the held units leaving the stock;
 * - **release** (the compensation, rare) is a transaction whose last statement is the move, then COMMIT.
 *
 * What the database guarantees, and why the statements are shaped as they are:
 * - The rows are locked in sku order (a `FOR NO KEY UPDATE` sub-select `ORDER BY sku`: Postgres locks rows in the
 *   order it returns them), and a statement holding product locks waits for nothing else before it commits: no cycle
 *   of waits, no deadlock on Postgres, however the items are listed.
 * - No foreign key from reservation lines to products (migration 003): inserting a line would take a `FOR KEY SHARE`
 *   lock on its product until commit, so a popular product's row was held by every open reservation at once, and
 *   the decrement at their ends deadlocked two of them (`deadlock detected` every second at 16 customers on one
 *   product). Lines are written from the product row read just before, and products are never deleted.
 * - Stock never goes negative: the CHECK constraint on `available` refuses the move, and with it the whole statement
 *   — claim, lines and event — so a refusal leaves nothing behind. The shortage is then read and reported.
 * - The unique `order_id` decides which of several concurrent requests for one order does the work: the claim has no
 *   ON CONFLICT, so the others' statements fail on the index (after waiting for the winner), and they read its
 *   result. It also lets a release that arrives first leave a tombstone.
 *
 * Prices are read without a lock just before the reserving statement. A price change (`PUT /products`) that commits
 * between that read and the statement is not in the lines: the reservation keeps the price it read, as it keeps it
 * against any later change. The two requests were concurrent, so either price is a fair snapshot, and one statement
 * reads every line, so a reservation never mixes old and new prices. Locking across both to exclude that window is
 * what made customers queue on popular products.
 */
import { systemClock, type Clock } from '@shop/clock';
import { randomUUID } from 'node:crypto';
import {
  alongside,
  isCheckViolation,
  isUniqueViolation,
  runStatement,
  type Database,
  type Queryable,
  type Statement,
} from '@shop/db';
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

const RESERVATION_COLUMNS = 'id, order_id, status, tombstone, version, created_at, updated_at';
/** The constraints whose violations reserve turns into answers: a repeat, and stock that is short. */
const ORDER_ID_UNIQUE = 'reservations_order_id_key';
const AVAILABLE_NOT_NEGATIVE = 'products_available_check';

/** The claim of an order, as a statement that FAILS when the order has a reservation (see `reserve`). */
function claimInsert(reservation: Reservation, now: Date): Statement {
  return {
    sql: `INSERT INTO reservations (id, order_id, status, created_at, updated_at) VALUES ($1, $2, 'reserved', $3, $3)`,
    params: [reservation.id, reservation.orderId, now],
  };
}

/**
 * Moves stock, as a statement: each product's `available` and `reserved` change by the move's deltas. The product
 * rows are locked in sku order by the sub-select before any is updated; the CHECK constraints refuse a move that
 * would take either below zero, failing the statement (and everything sent with it).
 */
function stockMove(moves: readonly StockMove[]): Statement {
  return {
    sql: `UPDATE products
       SET available = products.available + move.available, reserved = products.reserved + move.reserved
      FROM unnest($1::text[], $2::int[], $3::int[]) AS move (sku, available, reserved),
           (SELECT sku FROM products WHERE sku = ANY($1::text[]) ORDER BY sku FOR NO KEY UPDATE) AS locked
     WHERE products.sku = move.sku AND locked.sku = move.sku`,
    params: [moves.map((move) => move.sku), moves.map((move) => move.available), moves.map((move) => move.reserved)],
  };
}

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

/** A reservation as reserve writes it (status reserved, version 1): what it answers once its statement committed. */
function newReservation(id: string, orderId: string, lines: ReservationLine[], now: Date): Reservation {
  return toReservation(
    { id, order_id: orderId, status: 'reserved', tombstone: false, version: 1, created_at: now, updated_at: now },
    lines,
  );
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
    const now = this.now();
    let lines: ReservationLine[];
    try {
      lines = await this.priceLines(items);
    } catch (error) {
      // Short already in the read — unless this is a repeat, whose units were taken by its first request.
      if (!(error instanceof InsufficientStockError) || !(await this.findByOrderId(orderId))) throw error;
      return { reservation: await this.answerRepeat(orderId, items), created: false };
    }
    const reservation = newReservation(randomUUID(), orderId, lines, now);
    try {
      // One statement, all or nothing: the stock move last (main), the claim, the lines and the event with it.
      await runStatement(
        this.db,
        alongside(stockMove(lines.map(({ sku, quantity }) => ({ sku, available: -quantity, reserved: quantity }))), [
          claimInsert(reservation, now),
          linesInsert(reservation.id, lines),
          ...outboxInsert([stockReserved(reservation, context, now)]),
        ]),
      );
    } catch (error) {
      // A repeat (or a concurrent twin that won): its reservation is committed, since the claim waited for it.
      if (isUniqueViolation(error, ORDER_ID_UNIQUE)) {
        return { reservation: await this.answerRepeat(orderId, items), created: false };
      }
      if (isCheckViolation(error, AVAILABLE_NOT_NEGATIVE)) {
        throw new InsufficientStockError(shortagesOf(lines, await this.shortOf(lines)));
      }
      throw error;
    }
    this.onEventsCommitted();
    return { reservation, created: true };
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
      // Last, so the product rows are locked only from here to COMMIT.
      if (existing.lines.length > 0) {
        await runStatement(
          tx,
          stockMove(existing.lines.map(({ sku, quantity }) => ({ sku, available: quantity, reserved: -quantity }))),
        );
      }
      return { reservation: released, changed: true };
    });
    if (changed) this.onEventsCommitted();
    return reservation;
  }

  /** Makes a reservation final (the order is confirmed): the held units leave the stock for good. Idempotent. */
  async commit(orderId: string): Promise<Reservation> {
    for (let attempt = 0; ; attempt++) {
      const committed = await this.commitIfReserved(orderId);
      if (committed) return committed;
      // Nothing was reserved to commit: a repeat (already committed), a reservation released first, or none at all.
      const existing = await this.findByOrderId(orderId);
      if (!existing) throw new ReservationNotFoundError(orderId);
      if (existing.status === 'committed') return existing;
      // Still 'reserved': its reserve committed after the statement's snapshot was taken — try once more.
      if (existing.status === 'released' || attempt > 0) throw new ReservationStateError(existing, 'commit');
    }
  }

  /**
   * One statement: the status change (only from `reserved`, so a concurrent release and this cannot both win) and the
   * move of the lines it changed, locked in sku order like every move. Undefined when no reserved reservation matched.
   */
  private async commitIfReserved(orderId: string): Promise<Reservation | undefined> {
    const { rows } = await this.db.query<ReservationRow & { lines: LineRow[] }>(
      `WITH committed AS (
         UPDATE reservations SET status = 'committed', version = version + 1, updated_at = $2
          WHERE order_id = $1 AND status = 'reserved'
         RETURNING ${RESERVATION_COLUMNS}
       ),
       lines AS (
         SELECT l.sku, l.name, l.quantity, l.unit_price_minor, l.currency
           FROM reservation_lines l JOIN committed ON l.reservation_id = committed.id
       ),
       moved AS (
         UPDATE products SET reserved = products.reserved - lines.quantity
           FROM lines,
                (SELECT sku FROM products WHERE sku IN (SELECT sku FROM lines) ORDER BY sku FOR NO KEY UPDATE) AS locked
          WHERE products.sku = lines.sku AND locked.sku = lines.sku
       )
       SELECT committed.*, coalesce((SELECT json_agg(lines ORDER BY lines.sku) FROM lines), '[]') AS lines
         FROM committed`,
      [orderId, this.now()],
    );
    return rows[0] && toReservation(rows[0], rows[0].lines.map(toLine));
  }

  async findByOrderId(orderId: string): Promise<Reservation | undefined> {
    return this.find(this.db, orderId, { lock: false });
  }

  /** A repeat of reserve: the same items get the original answer; anything else is refused. */
  private async answerRepeat(orderId: string, items: readonly RequestedItem[]): Promise<Reservation> {
    const existing = await this.findByOrderId(orderId);
    if (!existing) throw new Error(`reservation of order ${orderId} vanished after a conflicting insert`);
    if (existing.status === 'released') throw new ReservationStateError(existing, 'reserve');
    if (!sameItems(existing.lines, items)) throw new ReservationMismatchError(existing);
    return existing;
  }

  /** The lines whose product had fewer units than they ask for, read after the move was refused. */
  private async shortOf(lines: readonly ReservationLine[]): Promise<CatalogueRow[]> {
    const rows = await this.readCatalogue(lines.map((line) => line.sku));
    const short = rows.filter((row) => row.available < lines.find((line) => line.sku === row.sku)!.quantity);
    // Units returned between the refusal and this read (a release, a recount) hide which line was short: name them all.
    return short.length > 0 ? short : rows;
  }

  /**
   * The lines at today's prices, read without a lock. Unknown skus, mixed currencies and stock already short in this
   * read are refused here, before anything is written or locked; stock that looks sufficient is only promised by
   * the move (`stockMove`).
   */
  /** The products of `skus`, read without a lock, in sku order: what reserve prices and checks lines against. */
  private async readCatalogue(skus: readonly string[]): Promise<CatalogueRow[]> {
    const { rows } = await this.db.query<CatalogueRow>(
      'SELECT sku, name, price_minor, currency, available FROM products WHERE sku = ANY($1::text[]) ORDER BY sku',
      [skus],
    );
    return rows;
  }

  private async priceLines(items: readonly RequestedItem[]): Promise<ReservationLine[]> {
    const sorted = [...items].sort(bySku);
    const products = await this.readCatalogue(sorted.map((item) => item.sku));
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
