/**
 * `builtinInput(key, build)`: a built-in tool's input schema, built on first
 * validation (engine/tools/lazy-schema.ts); its JSON Schema comes from the
 * table the build writes (prebuilt-schemas.ts) under the same key.
 */
import type { z } from 'zod';
import { lazySchema } from '../../engine/tools/lazy-schema.js';
import { prebuiltToolSchemas } from './prebuilt-schemas.js';

const declared = new Map<string, () => z.ZodType>();

export function builtinInput<S extends z.ZodType>(key: string, build: () => S): S {
  if (declared.has(key)) throw new Error(`two built-in tool inputs are named '${key}'`);
  declared.set(key, build);
  // Shared by every binding of the tool, like a converted schema; `tool()` freezes it.
  return lazySchema(build, () => prebuiltToolSchemas[key]);
}

/** Every declared input and its builder, for the build step that writes the table. */
export function builtinInputs(): ReadonlyMap<string, () => z.ZodType> {
  return declared;
}
