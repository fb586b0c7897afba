/**
 * Fault injection for learners and chaos tests: `PUT /admin/faults` makes matching routes slow, flaky or down, so you
 * can watch timeouts, retries and circuit breakers react. Registered only when enabled (`FAULT_INJECTION=on`);
 * otherwise the routes do not exist (404) and are absent from the OpenAPI document.
 *
 * `/admin/*` and `/health/*` are never faulted, so a fault can always be cleared and probes keep telling the truth
 * about the process itself. The admin routes are for services only (`onlyServices`): whoever can set faults
 * can take the service down, so a customer token — or none — is refused.
 */
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { onlyServices, registerRoutesFor } from './caller-guards';
import type { ServiceApp } from './create-app';
import { PROBLEM_CONTENT_TYPE, problemType } from './problem';

const FaultRuleSchema = Type.Object(
  {
    route: Type.String({ minLength: 1, description: 'Path pattern; `*` matches any characters, e.g. `/payments*`' }),
    method: Type.Optional(Type.String({ pattern: '^[A-Z]+$', description: 'Only this HTTP method (default: all)' })),
    latencyMs: Type.Optional(Type.Integer({ minimum: 0, maximum: 120_000 })),
    jitterMs: Type.Optional(Type.Integer({ minimum: 0, maximum: 60_000, description: 'Adds 0..jitterMs at random' })),
    errorRate: Type.Optional(Type.Number({ minimum: 0, maximum: 1, description: 'Share of requests that fail' })),
    errorStatus: Type.Optional(Type.Integer({ minimum: 400, maximum: 599, default: 503 })),
    down: Type.Optional(
      Type.Union([Type.Literal('reset'), Type.Literal('503')], {
        description: '`reset`: the connection is dropped without an answer; `503`: every request is refused',
      }),
    ),
  },
  { additionalProperties: false },
);
export type FaultRule = Static<typeof FaultRuleSchema>;

const FaultsBody = Type.Object(
  { rules: Type.Array(FaultRuleSchema, { maxItems: 50 }) },
  { additionalProperties: false },
);

export interface FaultInjectionOptions {
  /** Source of randomness for error rates and jitter (tests pass a deterministic one). */
  random?: () => number;
  /** How latency is waited out (tests pass one that does not really sleep). */
  delay?: (ms: number) => Promise<void>;
}

const EXEMPT = /^\/(admin|health)\//;

function toMatcher(rule: FaultRule): (method: string, path: string) => boolean {
  const escaped = rule.route.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*');
  const pattern = new RegExp(`^${escaped}$`);
  return (method, path) => (!rule.method || rule.method === method) && pattern.test(path);
}

function injectedProblem(reply: FastifyReply, status: number, detail: string) {
  return reply
    .code(status)
    .type(PROBLEM_CONTENT_TYPE)
    .send({ type: problemType('injected-fault'), title: 'Injected fault', status, detail });
}

export async function registerFaultInjection(app: ServiceApp, options: FaultInjectionOptions = {}): Promise<void> {
  const random = options.random ?? Math.random;
  const delay = options.delay ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  let rules: { rule: FaultRule; matches: (method: string, path: string) => boolean }[] = [];

  app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    const path = request.url.split('?')[0]!;
    if (EXEMPT.test(path) || rules.length === 0) return;
    for (const { rule, matches } of rules) {
      if (!matches(request.method, path)) continue;
      if (rule.down === 'reset') {
        request.raw.socket.destroy();
        return reply.hijack();
      }
      if (rule.down === '503') return injectedProblem(reply, 503, `${rule.route} is down (fault injection)`);
      const latency = (rule.latencyMs ?? 0) + Math.floor(random() * (rule.jitterMs ?? 0));
      if (latency > 0) await delay(latency);
      if (rule.errorRate !== undefined && random() < rule.errorRate) {
        return injectedProblem(reply, rule.errorStatus ?? 503, `injected failure on ${rule.route}`);
      }
    }
  });

  const schema = { tags: ['admin'], hide: false };
  await registerRoutesFor(app, onlyServices, (admin) => {
    admin.put(
      '/admin/faults',
      {
        schema: {
          ...schema,
          summary: 'Replace the active fault rules',
          body: FaultsBody,
          response: { 200: FaultsBody },
        },
      },
      async (request) => {
        rules = request.body.rules.map((rule) => ({ rule, matches: toMatcher(rule) }));
        request.log.warn({ rules: request.body.rules }, 'fault injection rules set');
        return { rules: rules.map(({ rule }) => rule) };
      },
    );
    admin.get(
      '/admin/faults',
      { schema: { ...schema, summary: 'Active fault rules', response: { 200: FaultsBody } } },
      async () => ({ rules: rules.map(({ rule }) => rule) }),
    );
    admin.delete(
      '/admin/faults',
      { schema: { ...schema, summary: 'Clear all fault rules' } },
      async (_request, reply) => {
        rules = [];
        return reply.code(204).send();
      },
    );
  });
}
