/**
 * Bullet, numbered and task lists. Each item's blocks are rendered narrower
 * by the marker's width and hang under it, so wrapped lines and nested lists
 * line up with the item's text, not with its bullet.
 */
import type { Token, Tokens } from 'marked';
import { paint } from './ansi.js';
import type { Context } from './context.js';
import { pad, prefixLines, width } from './text.js';

/** Bullets by nesting depth, cycling for deeper lists. */
const BULLETS = ['•', '◦', '▪'];

export type RenderBlocks = (tokens: readonly Token[], ctx: Context, columns: number, depth: number, tight: boolean) => string[];

export function renderList(token: Tokens.List, ctx: Context, columns: number, depth: number, renderBlocks: RenderBlocks): string[] {
  const start = typeof token.start === 'number' ? token.start : 1;
  const markers = token.items.map((item, i) => markerFor(item, token.ordered ? `${start + i}.` : BULLETS[depth % BULLETS.length] ?? '•'));
  const markerWidth = Math.max(0, ...markers.map(width));
  const indent = ' '.repeat(markerWidth + 1);

  return token.items.flatMap((item, i) => {
    // Numbers are right-aligned so their dots line up: " 9." over "10.".
    const marker = paint(pad(markers[i] ?? '', markerWidth, token.ordered ? 'right' : 'left'), ctx.theme.bullet, ctx.color);
    const body = renderBlocks(withoutCheckbox(item.tokens), ctx, columns - markerWidth - 1, depth + 1, !item.loose);
    const lines = body.length > 0 ? prefixLines(body, `${marker} `, indent) : [marker];
    // A loose list keeps a blank line between items, as it was written.
    return token.loose && i > 0 ? ['', ...lines] : lines;
  });
}

/** A task item shows its box as (part of) the marker: `[x]` for bullets, `3. [ ]` for numbers. */
function markerFor(item: Tokens.ListItem, base: string): string {
  if (!item.task) return base;
  const box = item.checked ? '[x]' : '[ ]';
  return /^\d/.test(base) ? `${base} ${box}` : box;
}

/** The item's tokens without the checkbox, which the marker already shows. */
function withoutCheckbox(tokens: readonly Token[]): Token[] {
  return tokens
    .filter((token) => token.type !== 'checkbox')
    .map((token, i) => {
      if (i > 0 || !('tokens' in token) || !token.tokens || token.tokens[0]?.type !== 'checkbox') return token;
      return { ...token, tokens: token.tokens.slice(1) } as Token;
    });
}
