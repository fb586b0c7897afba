/** `/api/products`: browsing the catalogue. Catalogue writes are admin operations and are not exposed publicly. */
import type { ServiceApp } from '@shop/service-kit';
import { Type } from '@shop/service-kit';
import { forward } from '../proxy/forward';
import type { Upstream } from '../proxy/upstream';
import { commonProblems, nextCursor, Page, problem, Product, SkuParams } from './public-schemas';

export function registerProductRoutes(app: ServiceApp, { inventory }: { inventory: Upstream }) {
  app.get(
    '/api/products',
    {
      schema: {
        tags: ['products'],
        summary: 'List products by sku (keyset pagination with `nextCursor`)',
        querystring: Page,
        response: { 200: Type.Object({ products: Type.Array(Product), nextCursor }), 400: problem, ...commonProblems },
      },
    },
    (request, reply) => forward(inventory, request, reply, { path: '/products', query: request.query }),
  );

  app.get(
    '/api/products/:sku',
    {
      schema: {
        tags: ['products'],
        summary: 'One product: price and units available',
        params: SkuParams,
        response: { 200: Product, 404: problem, ...commonProblems },
      },
    },
    (request, reply) =>
      forward(inventory, request, reply, { path: `/products/${encodeURIComponent(request.params.sku)}` }),
  );
}
