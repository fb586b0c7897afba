// Compiled TypeBox checks, cached per schema, with errors a person can read ("/data/total/currency: Expected ...").
import type { TSchema } from '@sinclair/typebox';
import { TypeCompiler, type TypeCheck } from '@sinclair/typebox/compiler';

const compiled = new WeakMap<TSchema, TypeCheck<TSchema>>();
const MAX_ERRORS = 10;

/** Returns the readable errors of `value` against `schema`; empty when it is valid. */
export function schemaErrors(schema: TSchema, value: unknown, pathPrefix = ''): string[] {
  let check = compiled.get(schema);
  if (!check) {
    check = TypeCompiler.Compile(schema);
    compiled.set(schema, check);
  }
  if (check.Check(value)) return [];
  const errors: string[] = [];
  for (const error of check.Errors(value)) {
    errors.push(`${pathPrefix}${error.path || '/'}: ${error.message}`);
    if (errors.length === MAX_ERRORS) break;
  }
  return errors;
}
