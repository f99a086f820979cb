/**
 * Text-mode arguments are strings; tools validate typed JSON. `coerceArgs`
 * converts each string by the tool's JSON Schema so that `timeout=30`
 * reaches a number field as 30. It never fails: a value it cannot convert
 * stays a string, and the tool's own validation then reports it to the
 * model with the text it actually wrote.
 */
/** A tool's JSON Schema, as much of it as coercion reads. */
type JsonSchema = Record<string, unknown>;
import { isRecord } from '../util/records.js';

/** The property schemas of an object schema (empty when there are none). */
export function schemaProperties(schema: JsonSchema | undefined): Record<string, unknown> {
  const properties = schema?.['properties'];
  return isRecord(properties) ? properties : {};
}

/** The JSON types a property accepts: `type` (string or list), and those of `anyOf` / `oneOf` members. */
function typesOf(schema: unknown, into = new Set<string>()): Set<string> {
  if (!isRecord(schema)) return into;
  const type = schema['type'];
  if (typeof type === 'string') into.add(type);
  else if (Array.isArray(type)) for (const t of type) if (typeof t === 'string') into.add(t);
  for (const key of ['anyOf', 'oneOf'] as const) {
    const members = schema[key];
    if (Array.isArray(members)) for (const member of members) typesOf(member, into);
  }
  const choices = schema['enum'] ?? (schema['const'] === undefined ? undefined : [schema['const']]);
  if (Array.isArray(choices)) for (const choice of choices) into.add(choice === null ? 'null' : typeof choice === 'object' ? 'object' : typeof choice);
  return into;
}

const INTEGER = /^[+-]?\d+$/;

/**
 * One string by one property schema. A property that accepts strings keeps
 * the string (enums included); otherwise the first conversion that fits, in
 * the order integer, number, boolean (`true` / `false`, any case), null,
 * array / object (JSON text). No fit: the string unchanged.
 */
export function coerceValue(value: string, schema: unknown): unknown {
  const types = typesOf(schema);
  if (types.size === 0 || types.has('string')) return value;
  const text = value.trim();
  if (types.has('integer') && INTEGER.test(text)) {
    const n = Number(text);
    if (Number.isSafeInteger(n)) return n;
  }
  if (types.has('number') && text !== '') {
    const n = Number(text);
    if (Number.isFinite(n)) return n;
  }
  if (types.has('boolean')) {
    const lower = text.toLowerCase();
    if (lower === 'true') return true;
    if (lower === 'false') return false;
  }
  if (types.has('null') && text === 'null') return null;
  if (types.has('array') || types.has('object')) {
    try {
      const parsed: unknown = JSON.parse(text);
      if (types.has('array') && Array.isArray(parsed)) return parsed;
      if (types.has('object') && isRecord(parsed)) return parsed;
    } catch {
      // Not JSON: leave it to the tool's validation.
    }
  }
  return value;
}

/** Every argument by the tool's schema; keys the schema does not name stay strings. */
export function coerceArgs(args: Readonly<Record<string, string>>, schema: JsonSchema | undefined): Record<string, unknown> {
  const properties = schemaProperties(schema);
  // fromEntries defines own properties, so a key such as `__proto__` stays a plain key.
  return Object.fromEntries(
    Object.entries(args).map(([key, value]) => [key, Object.hasOwn(properties, key) ? coerceValue(value, properties[key]) : value]),
  );
}
