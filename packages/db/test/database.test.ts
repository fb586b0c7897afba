import { join } from 'node:path';
import { createTestDatabase, describeOnPostgres, testEngines, testResources, type TestDatabase } from '../src/testing';
import { isCheckViolation, isUniqueViolation, openPostgresDatabase, runMigrations } from '../src';

const migrations = join(__dirname, 'fixtures/migrations');

describe.each(testEngines())('database on %s', (engine) => {
  let db: TestDatabase;
  const resources = testResources();
  beforeEach(() =>
    resources.setup(async (track) => {
      db = await track(createTestDatabase(engine));
    }),
  );

  it('applies migrations in order and a second run is a no-op', async () => {
    const first = await runMigrations(db, migrations);
    expect(first.applied).toEqual(['fixtures/001_create_widgets.sql', 'fixtures/002_add_colour.sql']);

    const second = await runMigrations(db, migrations);
    expect(second).toEqual({
      applied: [],
      alreadyApplied: ['fixtures/001_create_widgets.sql', 'fixtures/002_add_colour.sql'],
    });

    await db.query('INSERT INTO widgets (name) VALUES ($1)', ['sprocket']);
    const { rows } = await db.query<{ colour: string }>('SELECT colour FROM widgets');
    expect(rows).toEqual([{ colour: 'grey' }]);
  });

  it('records migrations from several directories under their own namespaces', async () => {
    // Both directories have a 001_create_widgets.sql; the namespace keeps them apart.
    const gadgets = join(__dirname, 'fixtures/gadgets/migrations');
    const result = await runMigrations(db, [migrations, gadgets]);
    expect(result.applied).toEqual([
      'fixtures/001_create_widgets.sql',
      'fixtures/002_add_colour.sql',
      'gadgets/001_create_widgets.sql',
    ]);
    expect((await runMigrations(db, [migrations, { directory: gadgets }])).applied).toEqual([]);
  });

  it('commits a transaction that resolves and rolls back one that throws', async () => {
    await runMigrations(db, migrations);
    await db.transaction(async (tx) => {
      await tx.query('INSERT INTO widgets (name) VALUES ($1)', ['kept']);
    });
    await expect(
      db.transaction(async (tx) => {
        await tx.query('INSERT INTO widgets (name) VALUES ($1)', ['discarded']);
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');

    const { rows } = await db.query<{ name: string }>('SELECT name FROM widgets ORDER BY name');
    expect(rows.map((row) => row.name)).toEqual(['kept']);
  });

  it('counts its round trips: a query or exec one, a transaction two more (BEGIN, COMMIT or ROLLBACK), a ping none', async () => {
    await runMigrations(db, migrations);
    const before = db.counters();
    await db.query('INSERT INTO widgets (name) VALUES ($1)', ['one']);
    await db.exec("UPDATE widgets SET colour = 'red'");
    await db.transaction(async (tx) => {
      await tx.query('INSERT INTO widgets (name) VALUES ($1)', ['two']);
      await tx.query('SELECT count(*) FROM widgets');
    });
    await expect(
      db.transaction(async (tx) => {
        await tx.query('INSERT INTO widgets (name) VALUES ($1)', ['three']);
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    await db.ping();
    const after = db.counters();
    expect(after.roundTrips - before.roundTrips).toBe(2 + (2 + 2) + (1 + 2));
    expect(after.transactions - before.transactions).toBe(2);
  });

  it('reports unique violations by SQLSTATE on both engines', async () => {
    await runMigrations(db, migrations);
    await db.query('INSERT INTO widgets (name) VALUES ($1)', ['dup']);
    const error = await db.query('INSERT INTO widgets (name) VALUES ($1)', ['dup']).catch((e: unknown) => e);
    expect(isUniqueViolation(error)).toBe(true);
    expect(isUniqueViolation(error, 'widgets_name_key')).toBe(true);
  });

  it('reports check violations by SQLSTATE and constraint on both engines', async () => {
    await db.exec('CREATE TABLE stock (sku text PRIMARY KEY, available integer NOT NULL CHECK (available >= 0))');
    await db.query(`INSERT INTO stock VALUES ('A', 1)`);
    const error = await db.query(`UPDATE stock SET available = available - 2`).catch((e: unknown) => e);
    expect(isCheckViolation(error)).toBe(true);
    expect(isCheckViolation(error, 'stock_available_check')).toBe(true);
    expect(isCheckViolation(error, 'another_check')).toBe(false);
    expect(isUniqueViolation(error)).toBe(false);
  });

  it("keeps a failed query's data out of its error (what a log would print), but not the SQLSTATE", async () => {
    await runMigrations(db, migrations);
    const hash = 'scrypt$131072$8$1$c2FsdHNhbHQ$aGFzaGhhc2g';
    await db.query('INSERT INTO widgets (name) VALUES ($1)', [hash]);
    const error = (await db.query('INSERT INTO widgets (name) VALUES ($1)', [hash]).catch((e: unknown) => e)) as Record<
      string,
      unknown
    >;
    expect(isUniqueViolation(error, 'widgets_name_key')).toBe(true);
    expect(error.params).toBeUndefined();
    // What pino's error serializer copies: the enumerable properties.
    expect(JSON.stringify({ ...error, message: (error as unknown as Error).message })).not.toContain(hash);
    expect(String(error.detail)).toContain('already exists'); // still readable by code that handles it
  });

  it('counts affected rows', async () => {
    await runMigrations(db, migrations);
    await db.query("INSERT INTO widgets (name) VALUES ('a'), ('b'), ('c')");
    const result = await db.query("UPDATE widgets SET colour = 'red' WHERE name <> 'a'");
    expect(result.rowCount).toBe(2);
  });
});

describeOnPostgres('prepared statements', 'a server that parses and plans', () => {
  it('runs a parameterised query as a named statement, parsed once per connection and reused', async () => {
    const db = await createTestDatabase('postgres');
    try {
      const names = await db.transaction(async (tx) => {
        for (let i = 0; i < 3; i++) await tx.query('SELECT $1::int + 1 AS next', [i]);
        const { rows } = await tx.query<{ name: string }>(
          "SELECT name FROM pg_prepared_statements WHERE statement LIKE 'SELECT $1::int + 1%'",
        );
        return rows.map((row) => row.name);
      });
      expect(names).toHaveLength(1);
      expect(names[0]).toMatch(/^s_[0-9a-f]{20}$/);
    } finally {
      await db.close();
    }
  });
});

describeOnPostgres('migrations from two processes at once', 'two connections', () => {
  it('two migrators starting at once both succeed and apply each file once', async () => {
    const db = await createTestDatabase('postgres');
    try {
      const second = openPostgresDatabase({ url: db.url! });
      try {
        const results = await Promise.all([runMigrations(db, migrations), runMigrations(second, migrations)]);
        const appliedCounts = results.map((result) => result.applied.length).sort();
        expect(appliedCounts).toEqual([0, 2]);
        const { rows } = await db.query('SELECT version FROM schema_migrations');
        expect(rows).toHaveLength(2);
      } finally {
        await second.close();
      }
    } finally {
      await db.close();
    }
  });
});
