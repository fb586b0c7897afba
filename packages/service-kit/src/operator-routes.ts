/**
 * The operator's read-only view of a service, under `/operator/*`: what a person (or the learner's console) needs to
 * see that the patterns work — its outbox backlog, the circuit breakers of its outgoing calls, and whatever else the
 * service owns (the order service adds its sagas). Every service answers the same shapes, so one client reads them all.
 *
 * Only services may call these routes: they show internals that no customer should see. The guard fails closed —
 * without a verified service token the answer is 401, also in an app started without authentication.
 */
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import type { ServiceApp } from './create-app';
import { HttpProblem, ProblemSchema } from './problem';

export const OutboxBacklogSchema = Type.Object(
  {
    pending: Type.Integer({ minimum: 0, description: 'Events written but not yet published' }),
    oldestAgeSeconds: Type.Number({ minimum: 0, description: 'Age of the oldest unpublished event (0 when none)' }),
  },
  { $id: 'OutboxBacklog' },
);
export type OutboxBacklog = Static<typeof OutboxBacklogSchema>;

export const BreakerSnapshotSchema = Type.Object(
  {
    name: Type.String({ description: 'The downstream this breaker guards, e.g. `payment`' }),
    state: Type.Union([
      Type.Literal('closed'),
      Type.Literal('open'),
      Type.Literal('half-open'),
      Type.Literal('isolated'),
    ]),
    calls: Type.Integer({ description: 'Calls in the sliding window' }),
    failures: Type.Integer({ description: 'Failed calls in the sliding window' }),
    failureRate: Type.Number({
      minimum: 0,
      maximum: 1,
      description: 'failures / calls over the window (0 when empty)',
    }),
    consecutiveFailures: Type.Integer(),
    retryAfterMs: Type.Optional(
      Type.Number({ description: 'When open: milliseconds until a trial call is let through' }),
    ),
  },
  { $id: 'BreakerSnapshot' },
);
export type BreakerSnapshot = Static<typeof BreakerSnapshotSchema>;

/** What a circuit breaker reports about itself (`CircuitBreaker.metrics()` from @shop/resilience fits). */
export interface BreakerMetrics {
  readonly name: string;
  readonly state: BreakerSnapshot['state'];
  readonly calls: number;
  readonly failures: number;
  readonly failureRate: number;
  readonly consecutiveFailures: number;
  readonly retryAfterMs: number | undefined;
}

export interface OperatorSources {
  /** The service's unpublished outbox events (`outboxBacklog(db)` from @shop/messaging). */
  readonly outbox?: () => Promise<OutboxBacklog>;
  /** The breakers of the service's outgoing calls, read fresh on every request. */
  readonly breakers?: () => readonly BreakerMetrics[];
  /** More read-only routes the service owns, registered in the same guarded `/operator` scope. */
  readonly routes?: (operator: ServiceApp) => void;
}

const problem = Type.Ref(ProblemSchema);

/**
 * Who may call: a service principal. Services verify tokens in `registerAuthentication`'s hook; the gateway
 * identifies only customers at the edge, so here a bearer token is verified again and must be a service's.
 */
async function requireOperator(request: FastifyRequest): Promise<void> {
  if (request.principal?.kind === 'service') return;
  if (request.principal?.kind === 'customer') {
    throw new HttpProblem(403, 'forbidden', 'Forbidden', 'operator routes need a service token');
  }
  // Present when @fastify/jwt is registered (by registerAuthentication, or the gateway's edge authentication).
  const canVerify = typeof (request as Partial<FastifyRequest>).jwtVerify === 'function';
  if (!request.headers.authorization || !canVerify) {
    throw new HttpProblem(
      401,
      'unauthenticated',
      'Authentication required',
      'operator routes need a service token',
      {},
      {
        'www-authenticate': 'Bearer',
      },
    );
  }
  let claims: { sub: string; role: string };
  try {
    claims = await request.jwtVerify<{ sub: string; role: string }>();
  } catch (error) {
    throw new HttpProblem(
      401,
      'unauthenticated',
      'Authentication required',
      (error as Error).message,
      {},
      {
        'www-authenticate': 'Bearer',
      },
    );
  }
  if (claims.role !== 'service') {
    throw new HttpProblem(403, 'forbidden', 'Forbidden', 'operator routes need a service token');
  }
  request.principal = { kind: 'service', service: claims.sub };
}

export function registerOperatorRoutes(app: ServiceApp, sources: OperatorSources): void {
  app.addSchema(OutboxBacklogSchema);
  app.addSchema(BreakerSnapshotSchema);
  void app.register(
    async (operator: ServiceApp) => {
      operator.addHook('onRequest', requireOperator);
      const schema = { tags: ['operator'] };
      const errors = { 401: problem, 403: problem };

      if (sources.outbox) {
        const readBacklog = sources.outbox;
        operator.get(
          '/outbox',
          {
            schema: {
              ...schema,
              summary: 'Outbox backlog: events committed with their state change but not yet published',
              response: { 200: Type.Ref(OutboxBacklogSchema), ...errors },
            },
          },
          () => readBacklog(),
        );
      }

      if (sources.breakers) {
        const readBreakers = sources.breakers;
        operator.get(
          '/breakers',
          {
            schema: {
              ...schema,
              summary: "The circuit breakers of this service's outgoing calls: state and recent failure rate",
              response: { 200: Type.Object({ breakers: Type.Array(Type.Ref(BreakerSnapshotSchema)) }), ...errors },
            },
          },
          async () => ({ breakers: readBreakers().map(snapshotOf) }),
        );
      }

      sources.routes?.(operator);
    },
    { prefix: '/operator' },
  );
}

function snapshotOf(metrics: BreakerMetrics): BreakerSnapshot {
  const { name, state, calls, failures, failureRate, consecutiveFailures, retryAfterMs } = metrics;
  return {
    name,
    state,
    calls,
    failures,
    failureRate,
    consecutiveFailures,
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
  };
}
