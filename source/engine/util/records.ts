/**
 * Reading untyped JSON (stream events, error bodies, tool-call arguments)
 * without trusting its shape.
 */

/** A non-null, non-array object: something whose keys can be read. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** What a value is, for "expected a JSON object, got ..." messages. */
export function describeJsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value;
}

/**
 * JSON text that should hold an object (a model's tool-call arguments) as
 * that object; anything else, broken JSON included, becomes `{}`.
 */
export function parseJsonObject(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    return isRecord(value) ? value : {};
  } catch {
    return {};
  }
}
