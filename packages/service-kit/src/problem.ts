/**
 * RFC 9457 problem details. Every error a service answers is `application/problem+json` with a stable `type` URI,
 * so clients branch on `type` (e.g. "out-of-stock") rather than parsing messages.
 */
import { Type, type Static } from '@sinclair/typebox';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';
const TYPE_BASE = 'https://resilient-shop.dev/problems/';

export const ProblemSchema = Type.Object(
  {
    type: Type.String({ description: 'Stable URI identifying the kind of problem' }),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.Optional(Type.String()),
    instance: Type.Optional(Type.String()),
  },
  { $id: 'Problem', additionalProperties: true, description: 'RFC 9457 problem details' },
);
export type Problem = Static<typeof ProblemSchema> & Record<string, unknown>;

export function problemType(slug: string): string {
  return `${TYPE_BASE}${slug}`;
}

/**
 * Throw from a route to answer with a problem: `throw new HttpProblem(409, 'email-taken', 'Email already registered', {…})`.
 * `extensions` become extra members of the body (e.g. the short SKUs of an out-of-stock reservation).
 */
export class HttpProblem extends Error {
  constructor(
    readonly status: number,
    readonly slug: string,
    readonly title: string,
    readonly detail?: string,
    readonly extensions: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(detail ?? title);
    this.name = 'HttpProblem';
  }

  toProblem(instance?: string): Problem {
    // Extensions first: a member named like a standard one (`status`, `type`…) must never override it.
    return {
      ...this.extensions,
      type: problemType(this.slug),
      title: this.title,
      status: this.status,
      ...(this.detail === undefined ? {} : { detail: this.detail }),
      ...(instance === undefined ? {} : { instance }),
    };
  }
}

export const notFound = (what: string, id: string) =>
  new HttpProblem(404, 'not-found', 'Resource not found', `${what} ${id} does not exist`);

export const conflict = (slug: string, title: string, detail: string, extensions?: Record<string, unknown>) =>
  new HttpProblem(409, slug, title, detail, extensions);
