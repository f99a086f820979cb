/**
 * Character classes shared by the parser, the renderer and the format
 * validation. They live in one place because the format's delimiters are
 * validated against them: a delimiter that could also be part of a name
 * would make markers ambiguous.
 */

/** Longest tool or argument name the parser will buffer (tool names are at most 64 characters). */
export const MAX_NAME_LENGTH = 64;

/** A tool or argument name starts with an ASCII letter or `_`. */
export function isNameStart(c: string): boolean {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_';
}

/** Later characters may also be digits or `-` (the framework's tool names: `[a-zA-Z][a-zA-Z0-9_-]*`). */
export function isNameChar(c: string): boolean {
  return isNameStart(c) || (c >= '0' && c <= '9') || c === '-';
}

/** Whitespace allowed between a tag's name and its attributes. */
export function isSpace(c: string): boolean {
  return c === ' ' || c === '\t' || c === '\n' || c === '\r';
}

/** A whole name, as `isNameStart` + `isNameChar`* within the length limit. */
export function isName(text: string): boolean {
  if (text.length === 0 || text.length > MAX_NAME_LENGTH || !isNameStart(text[0] as string)) return false;
  for (let i = 1; i < text.length; i++) if (!isNameChar(text[i] as string)) return false;
  return true;
}
