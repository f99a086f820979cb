/**
 * The keys a zod schema accepts at a key path, so a warning about an unknown
 * key can suggest the one the author meant. Walks the few schema kinds config
 * schemas are built from: objects, records, lists, unions and wrappers.
 */
import type { z } from 'zod';

interface Def {
  type: string;
  shape?: Record<string, z.ZodType>;
  innerType?: z.ZodType;
  in?: z.ZodType;
  element?: z.ZodType;
  valueType?: z.ZodType;
  options?: z.ZodType[];
}

const defOf = (schema: z.ZodType): Def => (schema as unknown as { _zod: { def: Def } })._zod.def;

/** Keys of the mapping(s) the schema allows at `path`; empty when nothing there is a fixed mapping. */
export function keysAt(schema: z.ZodType, path: ReadonlyArray<string | number>): string[] {
  return [...new Set(walk(schema, path, 0))];
}

function walk(schema: z.ZodType, path: ReadonlyArray<string | number>, depth: number): string[] {
  if (depth > 32) return [];
  const def = defOf(schema);
  // Wrappers: optional, nullable, default, and transforms (a pipe's input side is what the file holds).
  const inner = def.innerType ?? (def.type === 'pipe' ? def.in : undefined);
  if (inner) return walk(inner, path, depth + 1);
  if (def.type === 'union') return (def.options ?? []).flatMap((option) => walk(option, path, depth + 1));
  const [segment, ...rest] = path;
  if (segment === undefined) return def.type === 'object' ? Object.keys(def.shape ?? {}) : [];
  if (def.type === 'object') {
    const child = def.shape?.[String(segment)];
    return child ? walk(child, rest, depth + 1) : [];
  }
  if (def.type === 'record' && def.valueType) return walk(def.valueType, rest, depth + 1);
  if (def.type === 'array' && def.element && typeof segment === 'number') return walk(def.element, rest, depth + 1);
  return [];
}
