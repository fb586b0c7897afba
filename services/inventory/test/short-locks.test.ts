/**
 * Product rows are locked only by the statement that moves their stock (reservation-store.ts): reserve and commit
 * are single statements after at most an unlocked read, release's transaction moves stock in its last statement. A
 * reservation under way does not make other customers of the same products wait. The store runs here on a database
 * that records its statements — each transaction's, and each statement sent on its own — and can hold one just
 * before the statement that moves stock.
 */
import type { Database, Queryable } from '@shop/db';
import { describeOnPostgres, testEngines, type TestDatabase } from '@shop/testing';
import { ReservationStore } from '../src/reservation-store';
import { addProduct, eur, startInventory, stockOf, type InventoryFixture } from './inventory-fixture';

const context = { correlationId: 'short-locks' };

/** A statement that takes a lock on product rows: an UPDATE of products, or a locking read of them. */
const locksProducts = (sql: string) => /UPDATE products|FROM products[^;]*FOR (NO KEY )?UPDATE/.test(sql);
/** A statement that changes stock. */
const movesStock = (sql: string) => /UPDATE products/.test(sql);

interface RecordingDatabase {
  db: Database;
  /** What reached the server through `db`, in order: a transaction's statements, or one statement sent alone. */
  units: { transaction: boolean; statements: string[] }[];
  /** Resolves once a transaction is held before its first statement that changes stock. */
  held: Promise<void>;
  /** Lets the held transaction go on. */
  release(): void;
}

function recording(db: TestDatabase, { holdBeforeStockMove = false } = {}): RecordingDatabase {
  const units: { transaction: boolean; statements: string[] }[] = [];
  let reached!: () => void;
  let release!: () => void;
  const held = new Promise<void>((resolve) => (reached = resolve));
  const released = new Promise<void>((resolve) => (release = resolve));
  const recorded = (tx: Queryable, statements: string[]): Queryable => ({
    exec: (sql) => tx.exec(sql),
    query: async <R extends object>(sql: string, params?: readonly unknown[]) => {
      if (holdBeforeStockMove && movesStock(sql)) {
        reached();
        await released;
      }
      statements.push(sql);
      return tx.query<R>(sql, params);
    },
  });
  return {
    db: {
      ...db,
      query: <R extends object>(sql: string, params?: readonly unknown[]) => {
        const statements: string[] = [];
        units.push({ transaction: false, statements });
        return recorded(db, statements).query<R>(sql, params);
      },
      transaction: (work) =>
        db.transaction((tx) => {
          const statements: string[] = [];
          units.push({ transaction: true, statements });
          return work(recorded(tx, statements));
        }),
    },
    units,
    held,
    release,
  };
}

describe.each(testEngines())('product row locks on %s', (engine) => {
  let inventory: InventoryFixture;
  beforeEach(async () => {
    inventory = await startInventory(engine);
    await addProduct(inventory.app, 'CUP', 10, 1000);
    await addProduct(inventory.app, 'MUG', 10, 1000);
  });
  afterEach(() => inventory.close());

  it('locks products only in the statement that moves stock: reserve and commit one statement each, release last', async () => {
    const { db, units } = recording(inventory.db);
    const store = new ReservationStore(db);
    const items = [
      { sku: 'MUG', quantity: 2 },
      { sku: 'CUP', quantity: 1 },
    ];
    const locking = () => units.splice(0).map((unit) => ({ ...unit, statements: unit.statements.map(locksProducts) }));
    await store.reserve('order-1', items, context);
    // The catalogue read (no lock), then claim, lines, event and stock move as one statement: no transaction.
    expect(locking()).toEqual([
      { transaction: false, statements: [false] },
      { transaction: false, statements: [true] },
    ]);
    await store.release('order-1', 'released', context);
    const [release] = locking();
    expect(release!.transaction).toBe(true);
    expect(release!.statements).toEqual([...Array(release!.statements.length - 1).fill(false), true]);
    await store.reserve('order-2', items, context);
    locking();
    await store.commit('order-2');
    expect(locking()).toEqual([{ transaction: false, statements: [true] }]);
    expect(await stockOf(inventory.app, 'MUG')).toEqual({ stock: 8, reserved: 0 });
  });
});

describeOnPostgres('product row locks seen from a second connection', 'PGlite has one connection', () => {
  let inventory: InventoryFixture;
  beforeEach(async () => {
    inventory = await startInventory('postgres');
    await addProduct(inventory.app, 'MUG', 10, 1000);
  });
  afterEach(() => inventory.close());

  /**
   * Another connection locks the product with NOWAIT (an error instead of a wait if anyone holds a conflicting lock)
   * and changes its price. FOR NO KEY UPDATE is the lock an UPDATE of stock or price takes.
   */
  const changePriceWithoutWaiting = (amountMinor: number) =>
    inventory.db.transaction(async (tx) => {
      await tx.query(`SELECT sku FROM products WHERE sku = 'MUG' FOR NO KEY UPDATE NOWAIT`);
      await tx.query(`UPDATE products SET price_minor = $1 WHERE sku = 'MUG'`, [amountMinor]);
    });

  /** Runs `transition` on a store whose transaction is held before it changes stock, and `meanwhile` then. */
  async function whileHeld<T>(transition: (store: ReservationStore) => Promise<T>, meanwhile: () => Promise<void>) {
    const { db, held, release } = recording(inventory.db, { holdBeforeStockMove: true });
    const running = transition(new ReservationStore(db));
    await held;
    try {
      await meanwhile();
    } finally {
      release();
    }
    return running;
  }

  it('lets another connection lock and reprice a product while a reservation of it is under way', async () => {
    const { reservation } = await whileHeld(
      (store) => store.reserve('order-1', [{ sku: 'MUG', quantity: 2 }], context),
      () => changePriceWithoutWaiting(1500),
    );
    // The line keeps the price the reservation read before the change (see the header of reservation-store.ts).
    expect(reservation.lines[0]!.unitPrice).toEqual(eur(1000));
    expect(await stockOf(inventory.app, 'MUG')).toEqual({ stock: 8, reserved: 2 });
  });

  it('lets another connection lock a product while a release or a commit of it is under way', async () => {
    const store = new ReservationStore(inventory.db);
    await store.reserve('order-1', [{ sku: 'MUG', quantity: 2 }], context);
    await store.reserve('order-2', [{ sku: 'MUG', quantity: 3 }], context);

    await whileHeld(
      (held) => held.release('order-1', 'released', context),
      () => changePriceWithoutWaiting(1100),
    );
    await whileHeld(
      (held) => held.commit('order-2'),
      () => changePriceWithoutWaiting(1200),
    );
    expect(await stockOf(inventory.app, 'MUG')).toEqual({ stock: 7, reserved: 0 });
  });

  it('runs many concurrent reservations and commits of one product without a deadlock', async () => {
    // The shape of a busy shop: every customer buys the same product. With the lines' foreign key to products, each
    // open reservation held a key-share lock on the row and two decrements deadlocked (40P01) within a few rounds.
    await addProduct(inventory.app, 'POPULAR', 1_000, 500);
    const store = new ReservationStore(inventory.db);
    // Sixteen customers, each reserving then committing in turn, so reserves and commits of one row interleave.
    const customers = 16;
    const rounds = 10;
    await Promise.all(
      Array.from({ length: customers }, async (_, customer) => {
        for (let round = 0; round < rounds; round++) {
          const orderId = `order-${customer}-${round}`;
          await store.reserve(orderId, [{ sku: 'POPULAR', quantity: 1 }], context);
          await store.commit(orderId);
        }
      }),
    );
    expect(await stockOf(inventory.app, 'POPULAR')).toEqual({ stock: 1_000 - customers * rounds, reserved: 0 });
  });
});
