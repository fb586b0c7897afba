/**
 * A service's domain refusals as problems, declared once and given to `createApp({ problems })`: the error handler
 * answers a thrown domain error with its problem, so route handlers carry no try/catch and domain code never
 * imports HTTP. Anything not listed stays what it was (a database error, a 500).
 *
 *   problems: [
 *     problemFor(InsufficientStockError, (error) =>
 *       new HttpProblem(409, 'insufficient-stock', 'Not enough stock', error.message, { shortages: error.shortages })),
 *   ]
 */
import { RepeatedSkuError } from '@shop/contracts';
import { HttpProblem } from './problem';

/** One entry of the map: the error class, and the problem that answers it. */
export interface DomainProblem {
  /** The problem for `error`, or undefined when it is not an instance of this entry's class. */
  readonly problemOf: (error: unknown) => HttpProblem | undefined;
}

// `abstract new` accepts any class, whatever its constructor takes.
type ErrorClass<E extends Error> = abstract new (...args: never[]) => E;

/** `error instanceof errorClass` is answered with `toProblem(error)`. */
export function problemFor<E extends Error>(
  errorClass: ErrorClass<E>,
  toProblem: (error: E) => HttpProblem,
): DomainProblem {
  return { problemOf: (error) => (error instanceof errorClass ? toProblem(error as E) : undefined) };
}

/** The first listed problem for `error` (list a subclass before its base class). */
export function domainProblemOf(problems: readonly DomainProblem[], error: unknown): HttpProblem | undefined {
  for (const entry of problems) {
    const problem = entry.problemOf(error);
    if (problem) return problem;
  }
  return undefined;
}

/** The refusal of a rule every service shares (`assertEachSkuOnce` from @shop/contracts): list it in `problems`. */
export const repeatedSkuProblem = problemFor(
  RepeatedSkuError,
  (error) =>
    new HttpProblem(422, 'duplicate-sku', 'Each sku may appear once', error.message, { duplicateSkus: error.skus }),
);
