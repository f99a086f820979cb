/**
 * Markdown → HTML for the chat, safe to put in the page. The model's text is
 * untrusted (it may quote a web page, a file, an attacker's prompt), so raw
 * HTML in it is shown as text, never parsed: the `html` renderer escapes it,
 * and links or images whose URL is not http(s)/mailto/relative lose the URL
 * (no `javascript:` or `data:` links).
 */
import { Marked, type Tokens } from 'marked';

const SAFE_URL = /^(https?:|mailto:|#|\/(?!\/)|\.{0,2}\/)|^[^:]*$/i;

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

export function safeUrl(href: string): string | null {
  const trimmed = href.trim();
  // Control characters and whitespace inside a scheme are how `java\tscript:` slips through a prefix check.
  const squeezed = trimmed.replace(/[\u0000-\u0020\u007f]/g, '');
  return SAFE_URL.test(squeezed) ? trimmed : null;
}

const marked = new Marked({
  gfm: true,
  breaks: false,
  async: false,
  renderer: {
    html(token: Tokens.HTML | Tokens.Tag): string {
      return escapeHtml(token.text);
    },
    link(token: Tokens.Link): string {
      const text = this.parser.parseInline(token.tokens);
      const href = safeUrl(token.href);
      if (href === null) return text;
      const title = token.title ? ` title="${escapeHtml(token.title)}"` : '';
      return `<a href="${escapeHtml(href)}"${title} rel="noopener noreferrer" target="_blank">${text}</a>`;
    },
    image(token: Tokens.Image): string {
      const href = safeUrl(token.href);
      // Images are not fetched from the model's say-so (a tracking pixel leaks the session); show the alt text and the link.
      if (href === null) return escapeHtml(token.text);
      return `<a href="${escapeHtml(href)}" rel="noopener noreferrer" target="_blank">[image: ${escapeHtml(token.text)}]</a>`;
    },
  },
});

/** The HTML of a markdown text: raw HTML escaped, unsafe URLs dropped. */
export function renderMarkdown(text: string): string {
  return marked.parse(text) as string;
}
