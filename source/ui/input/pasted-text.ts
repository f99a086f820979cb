/**
 * Long pastes stand in the prompt as one short placeholder —
 * `[Pasted text #1 +42 lines]` — so the input box stays a few lines tall and
 * editable around them; the real text is put back when the prompt is
 * submitted.
 */

/** A paste becomes a placeholder when it has more lines than this… */
export const PASTE_MAX_LINES = 5;
/** …or more characters than this. */
export const PASTE_MAX_CHARS = 800;

export function shouldCollapse(text: string): boolean {
  return lineCount(text) > PASTE_MAX_LINES || text.length > PASTE_MAX_CHARS;
}

/** `[Pasted text #3 +42 lines]`, or `[Pasted text #3 1200 chars]` for one long line. */
export function placeholderFor(number: number, text: string): string {
  const lines = lineCount(text);
  return lines > 1 ? `[Pasted text #${number} +${lines} lines]` : `[Pasted text #${number} ${text.length} chars]`;
}

/** Lines the text occupies; a trailing newline does not start another one. */
function lineCount(text: string): number {
  return text.replace(/\n$/, '').split('\n').length;
}

/**
 * `text` with every placeholder replaced by its paste. One pass, so a paste
 * that itself contains placeholder-looking text is left as pasted.
 */
export function expandPlaceholders(text: string, pastes: ReadonlyMap<string, string>): string {
  if (pastes.size === 0) return text;
  const pattern = new RegExp([...pastes.keys()].map(escapeRegExp).join('|'), 'g');
  return text.replace(pattern, (placeholder) => pastes.get(placeholder) ?? placeholder);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
