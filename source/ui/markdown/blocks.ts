/**
 * Block-level markdown (paragraphs, headings, lists, quotes, code, tables,
 * rules) to terminal lines no wider than `columns`. Containers (lists,
 * quotes) render their children narrower and prefix them, so every nesting
 * level wraps within the same overall width.
 */
import type { Token, Tokens } from 'marked';
import { paint } from './ansi.js';
import { renderCode } from './code.js';
import type { Context } from './context.js';
import { prose, renderInline } from './inline.js';
import { renderList } from './list.js';
import { renderTable } from './table.js';
import { prefixLines, stripControls, wrapHard, wrapWords } from './text.js';

/**
 * `tokens` as lines. Blocks are separated by a blank line, except in a tight
 * list item, where an item's text and its nested list sit on adjacent lines.
 */
export function renderBlocks(tokens: readonly Token[], ctx: Context, columns: number, depth = 0, tight = false): string[] {
  const out: string[] = [];
  for (const token of tokens) {
    const lines = renderBlock(token, ctx, Math.max(1, columns), depth);
    if (lines.length === 0) continue;
    if (out.length > 0 && !tight) out.push('');
    out.push(...lines);
  }
  return out;
}

function renderBlock(token: Token, ctx: Context, columns: number, depth: number): string[] {
  const { theme, color } = ctx;
  switch (token.type) {
    case 'space':
    case 'def': // link reference definitions print nothing; their links show the URL
      return [];
    case 'paragraph':
    case 'text':
      return wrapWords(token.tokens ? renderInline(token.tokens, ctx) : prose(token.text), columns);
    case 'heading':
      return renderHeading(token as Tokens.Heading, ctx, columns);
    case 'hr':
      return [paint('─'.repeat(columns), theme.rule, color)];
    case 'code':
      return renderCode(stripControls(token.text), token.lang, ctx, columns);
    case 'blockquote':
      return renderQuote(token as Tokens.Blockquote, ctx, columns, depth);
    case 'list':
      return renderList(token as Tokens.List, ctx, columns, depth, renderBlocks);
    case 'table':
      return renderTable(token as Tokens.Table, ctx, columns);
    case 'html':
      // Raw HTML is shown as written, dimmed: it is markup the terminal can't apply.
      return stripControls(token.text).trimEnd().split('\n').flatMap((line: string) => wrapHard(paint(line, theme.dim, color), columns));
    default:
      return 'tokens' in token && token.tokens ? wrapWords(renderInline(token.tokens, ctx), columns) : wrapWords(prose(token.raw.trimEnd()), columns);
  }
}

/**
 * With colour the style shows the heading and its level, so the `#` marks
 * go (they read as stray markdown). Without colour they stay: nothing else
 * would set a heading apart.
 */
function renderHeading(token: Tokens.Heading, ctx: Context, columns: number): string[] {
  const styles = ctx.theme.heading;
  const style = styles[Math.min(token.depth, styles.length) - 1];
  const marks = ctx.color ? '' : `${'#'.repeat(token.depth)} `;
  return wrapWords(paint(`${marks}${renderInline(token.tokens, ctx)}`, style, ctx.color), columns);
}

/** Quoted blocks behind a bar; nested quotes get a bar each. */
function renderQuote(token: Tokens.Blockquote, ctx: Context, columns: number, depth: number): string[] {
  const bar = paint('│', ctx.theme.quoteBar, ctx.color);
  const inner = renderBlocks(token.tokens, ctx, columns - 2, depth);
  return prefixLines(
    inner.map((line) => paint(line, ctx.theme.quote, ctx.color)),
    `${bar} `,
    `${bar} `,
  );
}
