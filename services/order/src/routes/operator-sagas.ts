/**
 * The order service's part of the operator view (`/operator/*`, service tokens only): recent checkout sagas, and one
 * saga with its step log, the trace of the request that started it and the kind of each step — what a saga
 * timeline needs to show the pivot, compensations and attempts cut off by a crash.
 */
import { SagaState, type SagaEngine, type StepKind } from '@shop/saga';
import { notFound, ProblemSchema, Type, type ServiceApp } from '@shop/service-kit';
import { SagaSchema } from './order-schemas';
import { sagaView } from './saga-view';

const problem = Type.Ref(ProblemSchema);
const TraceId = Type.Optional(Type.String({ description: 'The trace of the request that started the saga' }));
const StepsSchema = Type.Array(
  Type.Object({
    name: Type.String(),
    kind: Type.Union([Type.Literal('compensatable'), Type.Literal('pivot'), Type.Literal('retriable')]),
  }),
  { description: 'The definition’s steps in order, with their kind' },
);
const SagaSummarySchema = Type.Object({
  id: Type.String(),
  state: Type.String(),
  currentStep: Type.Optional(Type.String()),
  attempt: Type.Integer(),
  failureReason: Type.Optional(Type.String()),
  attention: Type.Optional(Type.Object({ reason: Type.String(), resumesAs: Type.String() })),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
  traceId: TraceId,
});

export function registerSagaOperatorRoutes(
  operator: ServiceApp,
  sagas: SagaEngine,
  definition: { readonly steps: readonly { readonly name: string; readonly kind: StepKind }[] },
): void {
  const steps = definition.steps.map(({ name, kind }) => ({ name, kind }));

  operator.get(
    '/sagas',
    {
      schema: {
        tags: ['operator'],
        summary: 'The most recent checkout sagas, newest first (optionally only those in one state)',
        querystring: Type.Object(
          {
            state: Type.Optional(Type.Union(Object.values(SagaState).map((state) => Type.Literal(state)))),
            limit: Type.Integer({ minimum: 1, maximum: 200, default: 20 }),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ steps: StepsSchema, sagas: Type.Array(SagaSummarySchema) }), 401: problem },
      },
    },
    async (request) => {
      const { state, limit } = request.query;
      const recent = await sagas.list({ ...(state ? { state } : {}), limit, newestFirst: true });
      return { steps, sagas: recent.map(({ data: _data, lease: _lease, ...summary }) => summary) };
    },
  );

  operator.get(
    '/sagas/:id',
    {
      schema: {
        tags: ['operator'],
        summary: 'One checkout saga with every attempt of every step, the step kinds and its trace id',
        params: Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }) }),
        response: {
          200: Type.Composite([SagaSchema, Type.Object({ traceId: TraceId, definition: StepsSchema })]),
          401: problem,
          404: problem,
        },
      },
    },
    async (request) => {
      const saga = await sagas.get(request.params.id);
      if (!saga) throw notFound('Saga', request.params.id);
      return { ...sagaView(saga), definition: steps };
    },
  );
}
