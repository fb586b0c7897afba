/**
 * Liveness says "the process is up" (restart me if not); readiness says "send me traffic" and checks the
 * dependencies a request needs (database, …), so an orchestrator or the demo waits until they answer.
 */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { PROBLEM_CONTENT_TYPE, problemType } from './problem';

export type ReadinessCheck = () => Promise<void>;

const HealthSchema = Type.Object({
  status: Type.String(),
  checks: Type.Optional(Type.Record(Type.String(), Type.String())),
});

export function registerHealthRoutes(app: FastifyInstance, checks: Record<string, ReadinessCheck>): void {
  app.get(
    '/health/live',
    { schema: { tags: ['health'], summary: 'Liveness probe', response: { 200: HealthSchema } }, logLevel: 'warn' },
    async () => ({ status: 'ok' }),
  );

  app.get(
    '/health/ready',
    { schema: { tags: ['health'], summary: 'Readiness probe: 200 when every dependency answers' }, logLevel: 'warn' },
    async (_request, reply) => {
      const results = await Promise.all(
        Object.entries(checks).map(async ([name, check]) => {
          try {
            await check();
            return [name, 'ok'] as const;
          } catch (error) {
            return [name, `failing: ${(error as Error).message}`] as const;
          }
        }),
      );
      const failing = results.filter(([, result]) => result !== 'ok');
      if (failing.length === 0) return { status: 'ready', checks: Object.fromEntries(results) };
      return reply
        .code(503)
        .type(PROBLEM_CONTENT_TYPE)
        .send({
          type: problemType('not-ready'),
          title: 'Service not ready',
          status: 503,
          detail: failing.map(([name, result]) => `${name} ${result}`).join('; '),
          checks: Object.fromEntries(results),
        });
    },
  );
}
