/**
 * Bodies that follow a route's JSON schema — required properties present, types, enums and number ranges right —
 * with hostile text in the free-text fields. Random JSON stops at the first type check; these get past validation
 * to the handler and the database, where a NUL in a customer's address used to become a 500.
 */
import fc from 'fast-check';
import { hostileText, printable } from './hostile-text';

export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  minItems?: number;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
}

/** Values that fit the patterns our schemas use (skus, country and currency codes, payment tokens). */
const PATTERN_SAMPLES = ['SKU-FUZZ', 'PT', 'EUR', 'tok_visa', 'fuzz'];

function formatted(format: string): fc.Arbitrary<string> | undefined {
  if (format === 'email') return fc.integer({ min: 0, max: 1_000_000 }).map((n) => `fuzz-${n}@example.com`);
  if (format === 'uuid') return fc.uuid();
  if (format === 'date-time') return fc.date({ noInvalidDate: true }).map((date) => date.toISOString());
  return undefined;
}

function text(schema: JsonSchema, known: readonly string[]): fc.Arbitrary<string> {
  if (schema.format) {
    const value = formatted(schema.format);
    if (value) return value;
  }
  if (schema.pattern) {
    const pattern = new RegExp(schema.pattern);
    const fitting = [...known, ...PATTERN_SAMPLES].filter((sample) => pattern.test(sample));
    // A patterned field refuses hostile text anyway; a fitting value lets the rest of the body be judged.
    return fitting.length ? fc.constantFrom(...fitting) : hostileText;
  }
  const ordinary = printable(Math.max(1, Math.min(schema.maxLength ?? 20, 20))).filter(
    (value) => value.length >= (schema.minLength ?? 0),
  );
  return fc.oneof({ arbitrary: hostileText, weight: 3 }, { arbitrary: ordinary, weight: 2 });
}

/** A value for `schema`; `known` supplies real ids and skus where a pattern asks for one. */
export function schemaShaped(schema: JsonSchema, known: readonly string[] = [], depth = 0): fc.Arbitrary<unknown> {
  if (depth > 6) return fc.constant(null);
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum?.length) return fc.constantFrom(...schema.enum);
  const choices = schema.anyOf ?? schema.oneOf;
  if (choices?.length) return fc.oneof(...choices.map((choice) => schemaShaped(choice, known, depth + 1)));
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'string':
      return text(schema, known);
    case 'integer':
      return fc.integer({ min: schema.minimum ?? -1_000, max: schema.maximum ?? 1_000_000 });
    case 'number':
      return fc.double({ min: schema.minimum ?? -1e6, max: schema.maximum ?? 1e6, noNaN: true });
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array': {
      const minLength = schema.minItems ?? 0;
      return fc.array(schemaShaped(schema.items ?? {}, known, depth + 1), { minLength, maxLength: minLength + 2 });
    }
    case 'object': {
      const properties = schema.properties ?? {};
      const required = schema.required ?? [];
      return fc.record(
        Object.fromEntries(
          Object.entries(properties).map(([name, property]) => [name, schemaShaped(property, known, depth + 1)]),
        ),
        { requiredKeys: required.filter((name) => name in properties) },
      );
    }
    default:
      return fc.oneof(hostileText, fc.anything({ maxDepth: 2 }));
  }
}
