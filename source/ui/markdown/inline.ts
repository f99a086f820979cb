/**
 * Inline markdown (emphasis, code spans, links, ...) to one styled string.
 * Line breaks inside it are kept: the block renderer wraps the result.
 */
import type { Token, Tokens } from 'marked';
import { paint } from './ansi.js';
import type { Context } from './context.js';
import { decodeEntities } from './entities.js';
import { stripControls } from './text.js';

/** Text from a token as it should print: references decoded, control characters gone. */
export const prose = (text: string): string => stripControls(decodeEntities(text));

export function renderInline(tokens: readonly Token[] | undefined, ctx: Context): string {
  return (tokens ?? []).map((token) => renderToken(token, ctx)).join('');
}

function renderToken(token: Token, ctx: Context): string {
  const { theme, color } = ctx;
  switch (token.type) {
    case 'text':
      return token.tokens ? renderInline(token.tokens, ctx) : prose(token.text);
    case 'escape':
      return stripControls(token.text);
    case 'strong':
      return paint(renderInline(token.tokens, ctx), theme.strong, color);
    case 'em':
      return paint(renderInline(token.tokens, ctx), theme.emphasis, color);
    case 'del':
      // Without colour there is no strike-through: keep the tildes so the meaning survives.
      return color ? paint(renderInline(token.tokens, ctx), theme.strike, color) : `~~${renderInline(token.tokens, ctx)}~~`;
    case 'codespan': {
      // Code is literal: `&amp;` in a code span means those five characters.
      const code = stripControls(token.text);
      // Likewise, backticks mark code when it can't be coloured.
      return color ? paint(code, theme.code, color) : `\`${code}\``;
    }
    case 'br':
      return '\n';
    case 'link':
      return renderLink(token as Tokens.Link, ctx);
    case 'image':
      return renderImage(token as Tokens.Image, ctx);
    case 'checkbox':
      return (token as Tokens.Checkbox).checked ? '[x] ' : '[ ] ';
    case 'html':
      // Inline HTML is shown as written: dropping the tags could drop meaning.
      return stripControls(token.text);
    default:
      return 'tokens' in token && token.tokens ? renderInline(token.tokens, ctx) : prose(token.raw);
  }
}

/** `text (url)`; just the URL when the text is the URL itself (autolinks, `<https://…>`). */
function renderLink(token: Tokens.Link, ctx: Context): string {
  const plainText = prose(token.text).replace(/^mailto:/, '');
  const plainHref = stripControls(token.href).replace(/^mailto:/, '');
  if (plainText === plainHref) return paint(plainHref, ctx.theme.link, ctx.color);
  const text = renderInline(token.tokens, ctx);
  return `${paint(text, ctx.theme.link, ctx.color)} ${paint(`(${plainHref})`, ctx.theme.dim, ctx.color)}`;
}

/** A terminal can't show the picture: its alt text and where it lives. */
function renderImage(token: Tokens.Image, ctx: Context): string {
  const alt = token.text ? `[image: ${prose(token.text)}]` : '[image]';
  return `${paint(alt, ctx.theme.link, ctx.color)} ${paint(`(${stripControls(token.href)})`, ctx.theme.dim, ctx.color)}`;
}
