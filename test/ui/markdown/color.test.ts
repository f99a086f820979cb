/**
 * `color: false` (NO_COLOR, not a terminal) means no escape codes at all,
 * whatever the markdown or its input held, with the same layout as with colour.
 */
import { describe, expect, it } from 'vitest';
import { renderDiff } from '../../../source/ui/markdown/diff.js';
import { renderMarkdown } from '../../../source/ui/markdown/renderer.js';
import { ESC, plain } from './helpers.js';

const KITCHEN_SINK = `# Heading with \`code\`

Some **bold**, _italic_, ~~gone~~, [a link](https://example.com) and \`code\`.

- one
  - two
    1. three
- [x] done

> quoted **text**
> > nested

| name | value |
|------|------:|
| 中文 | 😀 |

\`\`\`ts
const x: number = 1; // comment
\`\`\`

\`\`\`python
def f(): return "s"
\`\`\`

---

<b>html</b> &amp; ![img](a.png)
`;

describe('colour off', () => {
  it('renders every construct without a single escape character', () => {
    for (const width of [20, 40, 80, 120]) {
      expect(renderMarkdown(KITCHEN_SINK, { width, color: false })).not.toContain(ESC);
    }
  });

  it('has the same layout as the coloured output', () => {
    for (const width of [120]) {
      expect(plain(renderMarkdown(KITCHEN_SINK, { width, color: true }))).toBe(
        // Only code spans, strike-through and headings differ: they keep their markers without colour.
        renderMarkdown(KITCHEN_SINK, { width, color: false }).replaceAll('`', '').replace('~~gone~~', 'gone').replace('# Heading', 'Heading'),
      );
    }
  });

  it('removes escape and control characters that arrive in the input', () => {
    const hostile = 'red \u001b[31mtext\u001b[0m, bell\u0007, csi \u009b2J\n\n```\n\u001b]0;title\u0007code\n```';
    const out = renderMarkdown(hostile, { width: 80, color: false });
    expect(out).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
    expect(out).toContain('red [31mtext[0m, bell, csi 2J');
    // The lexer decodes character references, so `&#27;` would arrive as an ESC: it is removed too.
    const references = 'a &#27;[31m b &#x9b; [l&#27;](u) ![i&#7;](p)\n\n| &#27; |\n|-|\n| x |';
    expect(renderMarkdown(references, { width: 80, color: false })).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
    expect(renderMarkdown(references, { width: 80, color: true })).not.toMatch(/\u001b(?!\[\d+m)/);
    expect(renderDiff('@@ -1 +1 @@\n-\u001b[31ma\n+b\n', { width: 80, color: false })).not.toContain(ESC);
  });

  it('colour on does add escape codes', () => {
    expect(renderMarkdown(KITCHEN_SINK, { width: 80, color: true })).toContain(ESC);
  });
});
