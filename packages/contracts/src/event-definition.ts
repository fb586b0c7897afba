// What the catalog knows about one event type: who produces it, its data schema, and how to read older versions.
import type { TSchema } from '@sinclair/typebox';

/**
 * Turns the `data` of an older schema version into the current shape (breaking changes only; see README).
 * `fromVersion` is the version the event was written with.
 */
export type Upcaster = (data: unknown, fromVersion: number) => unknown;

export interface EventDefinition<P extends string = string, S extends TSchema = TSchema> {
  readonly producer: P;
  /** Bumped only for breaking changes; additive changes (new optional fields) keep it. */
  readonly schemaVersion: number;
  readonly schema: S;
  readonly upcast?: Upcaster;
}

export function defineEvent<P extends string, S extends TSchema>(
  producer: P,
  schemaVersion: number,
  schema: S,
  upcast?: Upcaster,
): EventDefinition<P, S> {
  return upcast ? { producer, schemaVersion, schema, upcast } : { producer, schemaVersion, schema };
}
