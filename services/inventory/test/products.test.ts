import { testEngines } from '@shop/testing';
import { ProductStore } from '../src/product-store';
import { seedCatalogue } from '../src/seed-catalogue';
import { eur, expectProblem, startInventory, type InventoryFixture } from './inventory-fixture';

const mug = { sku: 'MUG', name: 'Classic mug', price: eur(1299), stock: 10 };

describe.each(testEngines())('products on %s', (engine) => {
  let inventory: InventoryFixture;
  beforeEach(async () => {
    inventory = await startInventory(engine);
  });
  afterEach(() => inventory.close());

  const create = (body: object) => inventory.app.inject({ method: 'POST', url: '/products', payload: body });
  const put = (sku: string, body: object) =>
    inventory.app.inject({ method: 'PUT', url: `/products/${sku}`, payload: body });

  it('creates a product and serves it by sku; a second create of the sku is a 409', async () => {
    const created = await create(mug);
    expect(created.statusCode).toBe(201);
    expect(created.headers.location).toBe('/products/MUG');
    expect(created.json()).toMatchObject({
      sku: 'MUG',
      name: 'Classic mug',
      price: eur(1299),
      stock: 10,
      reserved: 0,
      version: 1,
    });
    expect((await inventory.app.inject('/products/MUG')).json()).toEqual(created.json());

    const duplicate = await create({ ...mug, name: 'Other' });
    expectProblem(duplicate, 409, 'product-exists');
    expect(duplicate.json().sku).toBe('MUG');
  });

  it('PUT creates (201) then replaces name, price and stock (200), bumping the version', async () => {
    const first = await put('MUG', { name: 'Mug', price: eur(1000), stock: 5 });
    expect(first.statusCode).toBe(201);
    const second = await put('MUG', { name: 'Big mug', price: eur(1500), stock: 7 });
    expect(second.statusCode).toBe(200);
    expect(second.json()).toMatchObject({
      name: 'Big mug',
      price: eur(1500),
      stock: 7,
      version: 2,
      createdAt: first.json().createdAt,
    });
  });

  it('leaves units held by reservations alone when stock is replaced', async () => {
    const { app } = inventory;
    await put('MUG', { name: 'Mug', price: eur(1000), stock: 5 });
    await app.inject({
      method: 'POST',
      url: '/reservations',
      payload: { orderId: 'o-1', items: [{ sku: 'MUG', quantity: 2 }] },
    });
    expect((await put('MUG', { name: 'Mug', price: eur(1000), stock: 20 })).json()).toMatchObject({
      stock: 20,
      reserved: 2,
    });
    await app.inject({ method: 'POST', url: '/reservations/o-1/release' });
    expect((await app.inject('/products/MUG')).json()).toMatchObject({ stock: 22, reserved: 0 });
  });

  it('rejects invalid products with 400 naming every field, and never stores floats or negative stock', async () => {
    const response = await create({
      sku: 'bad sku',
      name: '',
      price: { amountMinor: 12.5, currency: 'eur' },
      stock: -1,
      colour: 'red',
    });
    expectProblem(response, 400, 'validation-failed');
    expect(
      response
        .json()
        .errors.map((e: { field: string }) => e.field)
        .sort(),
    ).toEqual(['body.colour', 'body.name', 'body.price.amountMinor', 'body.price.currency', 'body.sku', 'body.stock']);
    expectProblem(await put('MUG', { name: 'Mug', price: eur(1), stock: '3' }), 400, 'validation-failed');
    expect((await inventory.db.query('SELECT sku FROM products')).rows).toHaveLength(0);
  });

  it('answers an unknown sku with 404 and a malformed one with 400', async () => {
    expectProblem(await inventory.app.inject('/products/NOPE'), 404, 'not-found');
    expectProblem(await inventory.app.inject('/products/%20bad'), 400, 'validation-failed');
  });

  it('pages through the catalogue by sku', async () => {
    for (const sku of ['E', 'B', 'D', 'A', 'C']) await put(sku, { name: sku, price: eur(100), stock: 1 });
    const skus: string[] = [];
    let url = '/products?limit=2';
    for (;;) {
      const page = (await inventory.app.inject(url)).json();
      skus.push(...page.products.map((product: { sku: string }) => product.sku));
      if (!page.nextCursor) break;
      url = `/products?limit=2&cursor=${page.nextCursor}`;
    }
    expect(skus).toEqual(['A', 'B', 'C', 'D', 'E']);
    expectProblem(await inventory.app.inject('/products?cursor=!!'), 400, 'invalid-cursor');
    expectProblem(await inventory.app.inject('/products?limit=0'), 400, 'validation-failed');
  });

  it('seeds the demo catalogue once, without resetting stock on a second start', async () => {
    const store = new ProductStore(inventory.db);
    expect(await store.seed(seedCatalogue)).toBe(seedCatalogue.length);
    await put('POSTER-LTD', { name: 'Limited poster', price: eur(1999), stock: 0 });
    expect(await store.seed(seedCatalogue)).toBe(0);
    expect((await inventory.app.inject('/products/POSTER-LTD')).json().stock).toBe(0);
    expect(seedCatalogue.some((product) => product.stock <= 3)).toBe(true);
  });

  it('serves Swagger UI at /docs and the reservation routes in the OpenAPI document', async () => {
    expect((await inventory.app.inject('/docs')).statusCode).toBe(200);
    const spec = (await inventory.app.inject('/docs/json')).json();
    expect(Object.keys(spec.paths)).toEqual(
      expect.arrayContaining([
        '/products',
        '/products/{sku}',
        '/reservations',
        '/reservations/{orderId}/release',
        '/reservations/{orderId}/commit',
      ]),
    );
  });
});
