/**
 * What every protocol's reply rendering does the same way: cutting scripted
 * text into deltas, the text of a tool call's arguments, the token estimate
 * for unscripted usage, and the per-status defaults of error bodies.
 */

/** Split into pieces of `size` characters, never splitting a surrogate pair. */
export function split(text: string, size: number): string[] {
  if (text === '') return [];
  const chars = Array.from(text);
  const step = Math.max(1, Math.floor(size));
  const out: string[] = [];
  for (let i = 0; i < chars.length; i += step) out.push(chars.slice(i, i + step).join(''));
  return out;
}

/** A tool call's arguments as sent on the wire: raw JSON text as scripted, an object serialised. */
export function argumentText(call: { arguments: string | Record<string, unknown> }): string {
  return typeof call.arguments === 'string' ? call.arguments : JSON.stringify(call.arguments);
}

/**
 * Tokens for unscripted usage, at ~4 characters per token: rough, but it
 * grows with the conversation the way real counts do. `min` is 1 for counts
 * the APIs never report as 0 (prompt, output) and 0 for optional ones.
 */
export function estimateTokens(text: string, min = 1): number {
  return Math.max(min, Math.ceil(text.length / 4));
}

/**
 * The defaults of an error status from a protocol's table; a status not in
 * it gets a generic message and whatever `unlisted` picks for a server
 * (5xx) or client error.
 */
export function statusDefaults<T extends { message: string }>(
  table: Record<number, T>,
  status: number,
  unlisted: (serverError: boolean) => Omit<T, 'message'>,
): T {
  return table[status] ?? ({ message: `fake server error ${status}`, ...unlisted(status >= 500) } as T);
}
