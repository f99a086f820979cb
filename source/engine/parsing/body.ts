/**
 * A closed block's body → arguments and content. Done once the block has
 * closed (not while streaming): the body is complete by then, and doing it
 * on the whole string keeps the state machine small and the result
 * independent of how the stream was chunked.
 */
import { isNameChar, isNameStart, MAX_NAME_LENGTH } from './chars.js';
import type { ToolCallFormat } from './format.js';

/** Remove one leading newline (`\n` or `\r\n`). */
export function trimLeadingNewline(text: string): string {
  if (text.startsWith('\r\n')) return text.slice(2);
  if (text.startsWith('\n')) return text.slice(1);
  return text;
}

/** Remove one trailing newline (`\n` or `\r\n`). */
export function trimTrailingNewline(text: string): string {
  if (text.endsWith('\r\n')) return text.slice(0, -2);
  if (text.endsWith('\n')) return text.slice(0, -1);
  return text;
}

export interface SplitBody {
  args: Map<string, string>;
  content: string;
}

/**
 * Line style: after one leading newline, each line that reads
 * `<prefix><name><sep><value>` is an argument (the value runs to the end of
 * its line, a trailing `\r` dropped); the first line that does not ends the
 * arguments. The rest, less one trailing newline, is the content. A line
 * such as `@@ -1,3 +1,4 @@` (a diff hunk) is not an argument: no name follows
 * the prefix.
 */
export function splitLineBody(format: ToolCallFormat, body: string): SplitBody {
  const { arg_prefix: prefix, arg_kv_sep: sep } = format;
  const args = new Map<string, string>();
  const text = trimLeadingNewline(body);
  let pos = 0;
  while (text.startsWith(prefix, pos)) {
    let key = pos + prefix.length;
    if (key >= text.length || !isNameStart(text[key] as string)) break;
    const keyStart = key;
    while (key < text.length && isNameChar(text[key] as string)) key++;
    if (key - keyStart > MAX_NAME_LENGTH || !text.startsWith(sep, key)) break;
    const eol = text.indexOf('\n', key);
    const lineEnd = eol === -1 ? text.length : eol;
    let value = text.slice(key + sep.length, lineEnd);
    if (value.endsWith('\r')) value = value.slice(0, -1);
    args.set(text.slice(keyStart, key), value);
    pos = eol === -1 ? text.length : eol + 1;
  }
  return { args, content: trimTrailingNewline(text.slice(pos)) };
}

/** Inline style: the body is all content, one leading and one trailing newline removed. */
export function inlineContent(body: string): string {
  return trimTrailingNewline(trimLeadingNewline(body));
}
