/**
 * Zod schemas built on first use. The built-in tools declare about fifty
 * input schemas, the built-in plugins, triggers and io modules a few dozen
 * option schemas, and the engine its config, profile, manifest and recipe
 * schemas; building them all when their modules load cost tens of
 * milliseconds of every import, although a run uses a few of them at most.
 * `tool()` recognises a lazy schema: it takes the JSON Schema for the model
 * from `json()` when that is known in advance (the built-in tools' table,
 * written at build time) and builds the zod schema only when a call is
 * validated.
 */
import type { z } from 'zod';

/** A JSON Schema object (engine/llm's `JsonSchema`; util imports nothing from the project). */
type JsonSchema = Record<string, unknown>;

interface LazyEntry {
  build: () => z.ZodType;
  json: () => JsonSchema | undefined;
  schema?: z.ZodType;
}

/**
 * A check for the one input shape a caller passes on every run, answering
 * what the schema would (the parsed value, defaults filled) without building
 * it; undefined for anything else, which the schema then judges. A test
 * should hold the two to the same answers.
 */
export type QuickParse = (input: unknown) => { data: unknown } | undefined;

const lazy = new WeakMap<object, LazyEntry>();

/**
 * A stand-in for the schema `build()` returns, built the first time anything
 * reads it. Methods run on the real schema, so zod sees its own object (not
 * this stand-in) wherever identity matters. `json` may return the schema's
 * JSON Schema (input side, as `jsonSchemaOf` writes it) without building it.
 */
export function lazySchema<S extends z.ZodType>(build: () => S, json: () => JsonSchema | undefined = () => undefined, quick?: QuickParse): S {
  const entry: LazyEntry = { build, json };
  const real = (): z.ZodType => (entry.schema ??= entry.build());
  // safeParse is what plugin options go through (engine/plugins/load.ts).
  const quickSafeParse = quick && ((input: unknown, params?: unknown) => {
    const known = quick(input);
    return known ? { success: true, data: known.data } : (real().safeParse as (i: unknown, p?: unknown) => unknown)(input, params);
  });
  const stand = new Proxy(Object.create(null) as object, {
    get(_target, key) {
      if (key === 'safeParse' && quickSafeParse) return quickSafeParse;
      const schema = real();
      const value: unknown = Reflect.get(schema, key, schema);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(schema) : value;
    },
    has: (_target, key) => Reflect.has(real(), key),
    getPrototypeOf: () => Reflect.getPrototypeOf(real()),
  });
  lazy.set(stand, entry);
  return stand as S;
}

/** For `tool()`: the parts of a lazy schema, or undefined for an ordinary one. */
export function lazyParts(schema: object): { real: () => z.ZodType; json: () => JsonSchema | undefined } | undefined {
  const entry = lazy.get(schema);
  if (!entry) return undefined;
  return { real: () => (entry.schema ??= entry.build()), json: entry.json };
}
