/**
 * The catalogue API in two groups, registered for their callers in app.ts: anyone verified may browse; changes
 * (POST, PUT) are an operator's job, made with a service token.
 */
import { notFound, ProblemSchema, Type, type ServiceApp } from '@shop/service-kit';
import { PriceSchema } from '../domain/money';
import { ProductSchema, SkuSchema } from '../domain/product';
import type { ProductStore } from '../product-store';

const SkuParams = Type.Object({ sku: SkuSchema });

const productFields = {
  name: Type.String({ minLength: 1, maxLength: 200 }),
  price: PriceSchema,
  stock: Type.Integer({ minimum: 0, maximum: 1_000_000_000, description: 'Units that can be reserved' }),
};
const CreateProductBody = Type.Object({ sku: SkuSchema, ...productFields }, { additionalProperties: false });
const PutProductBody = Type.Object(productFields, { additionalProperties: false });

const ListQuery = Type.Object(
  {
    limit: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
    cursor: Type.Optional(Type.String({ maxLength: 200 })),
  },
  { additionalProperties: false },
);

const problem = Type.Ref(ProblemSchema);

export function registerCatalogueChangeRoutes(app: ServiceApp, products: ProductStore): void {
  app.post(
    '/products',
    {
      schema: {
        tags: ['products'],
        summary: 'Add a product (admin)',
        body: CreateProductBody,
        response: { 201: ProductSchema, 400: problem, 409: problem },
      },
    },
    async (request, reply) => {
      const { sku, ...details } = request.body;
      const product = await products.create(sku, details);
      return reply
        .code(201)
        .header('location', `/products/${encodeURIComponent(sku)}`)
        .send(product);
    },
  );

  app.put(
    '/products/:sku',
    {
      schema: {
        tags: ['products'],
        summary: 'Create or replace a product: name, price and reservable stock (admin)',
        description:
          '`stock` is set, not added: it replaces the units that can be reserved. Units held by open reservations ' +
          'are not part of it and are unaffected.',
        params: SkuParams,
        body: PutProductBody,
        response: { 200: ProductSchema, 201: ProductSchema, 400: problem },
      },
    },
    async (request, reply) => {
      const { product, created } = await products.put(request.params.sku, request.body);
      if (created) reply.code(201).header('location', `/products/${encodeURIComponent(product.sku)}`);
      return reply.send(product);
    },
  );
}

export function registerCatalogueRoutes(app: ServiceApp, products: ProductStore): void {
  app.get(
    '/products/:sku',
    {
      schema: {
        tags: ['products'],
        summary: 'Get a product',
        params: SkuParams,
        response: { 200: ProductSchema, 400: problem, 404: problem },
      },
    },
    async (request) => {
      const product = await products.get(request.params.sku);
      if (!product) throw notFound('Product', request.params.sku);
      return product;
    },
  );

  app.get(
    '/products',
    {
      schema: {
        tags: ['products'],
        summary: 'List products by sku (keyset pagination)',
        querystring: ListQuery,
        response: {
          200: Type.Object({
            products: Type.Array(ProductSchema),
            nextCursor: Type.Union([Type.String(), Type.Null()]),
          }),
          400: problem,
        },
      },
    },
    async (request) => products.list(request.query),
  );
}
