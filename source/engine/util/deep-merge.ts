/**
 * Merging a partial object (a preset's `extra_body`, a creature's override)
 * into one we built, so the partial can add one nested field without
 * restating the rest.
 */

/** A JSON-like object: the only kind that is merged key by key. */
type Json = Record<string, unknown>;

/**
 * `over` merged into a copy of `base`: plain objects recursively, arrays and
 * everything else replaced. `canBlend` can veto merging two objects (they
 * are then replaced too), e.g. two variants of a tagged union. Neither input
 * is modified.
 */
export function deepMerge(base: object, over: Json, canBlend?: (current: Json, next: Json) => boolean): Json {
  const out: Json = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const current = out[key];
    const blend = isPlainObject(current) && isPlainObject(value) && (canBlend?.(current, value) ?? true);
    out[key] = blend ? deepMerge(current, value, canBlend) : value;
  }
  return out;
}

/**
 * Object literals and null-prototype objects only: class instances (a Date,
 * an SDK object) are values to replace, not bags of keys.
 */
export function isPlainObject(value: unknown): value is Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
