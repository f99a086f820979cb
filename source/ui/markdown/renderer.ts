/**
 * Markdown to terminal text. This module pulls in the markdown lexer and the
 * highlighter, so nothing imports it statically: `loadMarkdown()` in
 * `index.ts` imports it on first use, keeping both out of `kt`'s start-up.
 */
import { Lexer } from 'marked';
import { renderBlocks } from './blocks.js';
import { defaultTheme, type Theme } from './theme.js';
import { sanitize } from './text.js';

export interface MarkdownOptions {
  /** Terminal columns; every line of the result fits in them. */
  width: number;
  /** False (NO_COLOR, not a TTY): no escape codes at all, same layout. */
  color: boolean;
  theme?: Theme;
}

/** Width used when the caller has none (e.g. `process.stdout.columns` of a pipe). */
const FALLBACK_WIDTH = 80;

/**
 * `markdown` as terminal lines joined by `\n`. Soft line breaks are kept as
 * line breaks rather than joined into one paragraph line: assistants write
 * lists of lines without blank lines between them and mean them as lines.
 */
export function renderMarkdown(markdown: string, options: MarkdownOptions): string {
  const width = Number.isFinite(options.width) && options.width >= 1 ? Math.floor(options.width) : FALLBACK_WIDTH;
  const tokens = Lexer.lex(sanitize(markdown), { gfm: true });
  return renderBlocks(tokens, { theme: options.theme ?? defaultTheme, color: options.color }, width).join('\n');
}
