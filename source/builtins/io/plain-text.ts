/**
 * Markdown → plain text for speech: the answer's words without the marks
 * (`**`, `#`, link targets, table pipes). Code blocks are left out: read
 * aloud, they are noise. Uses marked's lexer, so what counts as markdown is
 * what the renderer thinks it is.
 */
import { marked, type Token } from 'marked';

export function markdownToPlain(markdown: string): string {
  const out: string[] = [];
  for (const token of marked.lexer(markdown)) {
    const text = blockText(token).trim();
    if (text) out.push(text);
  }
  return out.join('\n');
}

function blockText(token: Token): string {
  switch (token.type) {
    case 'code':
    case 'space':
    case 'hr':
    case 'html':
      return '';
    case 'list':
      return (token.items as Token[]).map((item) => blockText(item).trim()).join('\n');
    case 'table': {
      const rows = [token.header as Array<{ tokens: Token[] }>, ...(token.rows as Array<Array<{ tokens: Token[] }>>)];
      return rows.map((cells) => cells.map((c) => inline(c.tokens)).join(', ')).join('\n');
    }
    default:
      return 'tokens' in token && token.tokens ? inline(token.tokens) : 'text' in token ? String(token.text) : '';
  }
}

function inline(tokens: Token[]): string {
  return tokens
    .map((t) => {
      if (t.type === 'br') return '\n';
      if (t.type === 'image') return t.text ?? '';
      if ('tokens' in t && t.tokens?.length) return t.type === 'list_item' || t.type === 'paragraph' ? blockText(t) : inline(t.tokens);
      return t.type === 'html' ? '' : 'text' in t ? decode(String(t.text)) : '';
    })
    .join('');
}

function decode(text: string): string {
  return text.replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'");
}
