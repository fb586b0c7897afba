/**
 * Request validation: bodies are checked strictly (no type coercion, unknown properties rejected by the schemas'
 * `additionalProperties: false`), while querystring, params and headers are coerced because they are always text.
 * `allErrors` so a 400 lists every bad field at once, not just the first. On top of every schema, text a database
 * cannot store (NUL, lone surrogates) is refused in every part — see storable-text.ts.
 */
import Ajv, { type ErrorObject, type Options, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifyServerOptions } from 'fastify';
import { unstorableText } from './storable-text';

function createAjv(options: Options): Ajv {
  const ajv = new Ajv({ allErrors: true, useDefaults: true, removeAdditional: false, strict: false, ...options });
  addFormats(ajv);
  return ajv;
}

/** The schema's validator, then the storable-text check on the same (coerced) data; errors of both in one list. */
function refusingUnstorableText(validate: ValidateFunction): ValidateFunction {
  const check = ((data: unknown, context?: Parameters<ValidateFunction>[1]) => {
    const valid = validate(data, context);
    const text = unstorableText(data);
    check.errors = valid && text.length === 0 ? null : [...((validate.errors as ErrorObject[] | null) ?? []), ...text];
    return valid && text.length === 0;
  }) as ValidateFunction;
  // Fastify hands a validator that has `schemaEnv` (every ajv one) the request as parent data, which ajv needs to
  // apply defaults and coercion to the root value; keep that so wrapping changes nothing else.
  Object.assign(check, { schema: validate.schema, schemaEnv: validate.schemaEnv, errors: null });
  return check;
}

/**
 * The validator builder for Fastify's `schemaController.compilersFactory`. Given there rather than through
 * `setValidatorCompiler`, because Fastify rebuilds a scope's validator from the factory whenever schemas are added
 * to it after the compiler was set (`registerOperatorRoutes` adds its schemas late): a compiler set with
 * `setValidatorCompiler` was then silently replaced in child scopes by Fastify's default ajv, which drops unknown
 * properties instead of refusing them and stops at the first error. Every scope builds from this factory instead.
 * The shared schemas (`app.addSchema`) are added to both ajv instances, so a body may `$ref` one.
 */
type ValidatorBuilder = NonNullable<
  NonNullable<NonNullable<FastifyServerOptions['schemaController']>['compilersFactory']>['buildValidator']
>;

export const buildValidatorCompiler: ValidatorBuilder = (sharedSchemas = {}) => {
  const strict = createAjv({ coerceTypes: false });
  const coercing = createAjv({ coerceTypes: 'array' });
  for (const schema of Object.values(sharedSchemas)) {
    strict.addSchema(schema as object);
    coercing.addSchema(schema as object);
  }
  return ({ schema, httpPart }) =>
    refusingUnstorableText((httpPart === 'body' ? strict : coercing).compile(schema as object));
};
