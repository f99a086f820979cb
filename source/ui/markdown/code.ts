/**
 * A fenced or indented code block: highlighted when its language is known,
 * plain otherwise, indented so it stands apart from prose even without
 * colour. Code is never re-flowed (its line breaks and spaces mean
 * something); a line wider than the terminal is broken at the last column.
 */
import type { Context } from './context.js';
import { highlightLines } from './highlight.js';
import { wrapHard } from './text.js';

const INDENT = '  ';

export function renderCode(code: string, info: string | undefined, ctx: Context, columns: number): string[] {
  const language = languageOf(info);
  // Without colour highlighting would change nothing: skip the work.
  const lines = (language && ctx.color && highlightLines(code, language, ctx.theme, ctx.color)) || code.split('\n');
  const room = columns - INDENT.length;
  return lines.flatMap((line) => (line === '' ? [''] : wrapHard(line, room).map((part) => INDENT + part)));
}

/** The language is the info string's first word: "ts title=a.ts" → "ts"; "{python}" → "python". */
function languageOf(info: string | undefined): string | undefined {
  const word = info?.trim().split(/\s+/)[0]?.replace(/^\{|\}$/g, '').replace(/^\./, '');
  return word ? word.toLowerCase() : undefined;
}
