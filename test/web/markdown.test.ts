import { describe, expect, it } from 'vitest';
import { renderMarkdown, safeUrl } from '../../source/web/markdown.js';

describe('chat markdown', () => {
  it('renders markdown', () => {
    const html = renderMarkdown('# Title\n\n**bold** and `code`\n\n```ts\nconst a = 1 < 2;\n```');
    expect(html).toContain('<h1');
    expect(html).toContain('<strong>bold</strong>');
    expect(html).toContain('<code>code</code>');
    expect(html).toContain('1 &lt; 2');
  });

  it('shows raw HTML as text, block and inline', () => {
    const html = renderMarkdown('<script>alert(1)</script>\n\nhi <img src=x onerror="alert(2)"> there <b onclick="x()">b</b>');
    expect(html).not.toMatch(/<script|<img|<b /i);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('&lt;img src=x onerror=&quot;alert(2)&quot;&gt;');
  });

  it('drops javascript: and data: URLs from links and images', () => {
    for (const md of ['[click](javascript:alert(1))', '[click](JaVaScRiPt:alert(1))', '[c](java\tscript:alert(1))', '[c](data:text/html,<script>alert(1)</script>)', '![x](javascript:alert(1))']) {
      const html = renderMarkdown(md);
      expect(html, md).not.toMatch(/href="(java|data)/i);
      expect(html, md).not.toMatch(/<img/i);
    }
    expect(renderMarkdown('[docs](https://example.com "t")')).toContain('href="https://example.com" title="t" rel="noopener noreferrer"');
  });

  it('does not let a link title or autolink break out of the attribute', () => {
    const html = renderMarkdown('[x](https://e.com "a\\" onmouseover=\\"alert(1)")');
    expect(html).not.toMatch(/" onmouseover=/);
  });

  it('accepts relative and mail URLs, refuses other schemes', () => {
    expect(safeUrl('/sessions/1')).toBe('/sessions/1');
    expect(safeUrl('mailto:a@b.c')).toBe('mailto:a@b.c');
    expect(safeUrl('vbscript:x')).toBeNull();
  });
});
