/**
 * Markdown blocks and inline styles as terminal lines: the layout without
 * colour (exact lines), and that colour adds escape codes without changing it.
 */
import { describe, expect, it } from 'vitest';
import { renderMarkdown } from '../../../source/ui/markdown/renderer.js';
import { ESC, linesOf, plain } from './helpers.js';

const color = (markdown: string, width = 80) => renderMarkdown(markdown, { width, color: true });

describe('headings', () => {
  it('keep their # marks without colour; with colour the style alone shows them', () => {
    expect(linesOf('# Title\n\n## Section\n\n#### Deep')).toEqual(['# Title', '', '## Section', '', '#### Deep']);
    const out = color('# Title');
    expect(out).toContain(`${ESC}[1m`); // bold
    expect(out).toContain(`${ESC}[4m`); // underlined at level 1
    expect(plain(out)).toBe('Title');
    expect(plain(color('## Section'))).toBe('Section');
  });

  it('keep their inline styles, and the heading style continues after them', () => {
    const out = color('# Use `kt run` now');
    expect(plain(out)).toBe('Use kt run now');
    // Inline code ends its colour with 39; the heading's colour (magenta, 35) is opened again.
    expect(out).toMatch(/\u001b\[39m\u001b\[35m now/);
  });
});

describe('inline styles', () => {
  it('bold, italic, strike-through and code are escape codes with colour', () => {
    const out = color('**b** _i_ ~~s~~ `c`');
    expect(out).toContain(`${ESC}[1mb${ESC}[22m`);
    expect(out).toContain(`${ESC}[3mi${ESC}[23m`);
    expect(out).toContain(`${ESC}[9ms${ESC}[29m`);
    expect(out).toContain(`${ESC}[36mc${ESC}[39m`);
    expect(plain(out)).toBe('b i s c');
  });

  it('without colour, code keeps its backticks and strike-through its tildes', () => {
    expect(linesOf('**b** _i_ ~~s~~ `c`')).toEqual(['b i ~~s~~ `c`']);
  });

  it('links show their text, then the URL dimmed; bare URLs show once', () => {
    expect(linesOf('See [the docs](https://example.com/docs) or https://example.org.')).toEqual([
      'See the docs (https://example.com/docs) or https://example.org.',
    ]);
    expect(color('[a](https://x.y)')).toContain(`${ESC}[90m(https://x.y)${ESC}[39m`);
    expect(linesOf('<mailto:me@example.com> me@example.com')).toEqual(['me@example.com me@example.com']);
  });

  it('images show their alt text and address', () => {
    expect(linesOf('![a cat](cat.png)')).toEqual(['[image: a cat] (cat.png)']);
  });

  it('decodes character references and escapes', () => {
    expect(linesOf('Tom &amp; Jerry &lt;3 &#x41;&#66; \\*not em\\* &bogus;')).toEqual(['Tom & Jerry <3 AB *not em* &bogus;']);
  });

  it('leaves character references in code spans alone: code is literal', () => {
    expect(linesOf('`&amp; &lt;`')).toEqual(['`&amp; &lt;`']);
  });

  it('keeps soft and hard line breaks as line breaks', () => {
    expect(linesOf('one\ntwo  \nthree')).toEqual(['one', 'two', 'three']);
  });
});

describe('lists', () => {
  it('bullets', () => {
    expect(linesOf('- apples\n- pears')).toEqual(['• apples', '• pears']);
  });

  it('nested lists hang under their item text with a bullet per level', () => {
    expect(linesOf('- a\n  - b\n    - c\n      - d\n- e')).toEqual(['• a', '  ◦ b', '    ▪ c', '      • d', '• e']);
  });

  it('numbered lists keep their start and right-align the numbers', () => {
    expect(linesOf('9. nine\n10. ten\n11. eleven')).toEqual([' 9. nine', '10. ten', '11. eleven']);
  });

  it('numbered inside bullets, and wrapped item text lines up with the text', () => {
    const lines = linesOf('- steps:\n  1. first step, which is long enough to wrap\n  2. second', 30);
    expect(lines).toEqual(['• steps:', '  1. first step, which is long', '     enough to wrap', '  2. second']);
  });

  it('task items show their box as the marker', () => {
    expect(linesOf('- [x] done\n- [ ] todo')).toEqual(['[x] done', '[ ] todo']);
    expect(linesOf('1. [x] done')).toEqual(['1. [x] done']);
  });

  it('loose lists keep a blank line between items', () => {
    expect(linesOf('- one\n\n- two\n\n  more')).toEqual(['• one', '', '• two', '', '  more']);
  });

  it('bullets are coloured with colour on', () => {
    expect(color('- a')).toBe(`${ESC}[33m•${ESC}[39m a`);
  });
});

describe('other blocks', () => {
  it('block quotes get a bar per level', () => {
    expect(linesOf('> quoted\n>\n> > inner')).toEqual(['│ quoted', '│', '│ │ inner']);
  });

  it('a rule spans the width', () => {
    expect(linesOf('a\n\n---\n\nb', 12)).toEqual(['a', '', '─'.repeat(12), '', 'b']);
  });

  it('paragraphs are separated by one blank line', () => {
    expect(linesOf('one\n\n\n\ntwo')).toEqual(['one', '', 'two']);
  });

  it('raw HTML is shown as written', () => {
    expect(linesOf('<details>\n<summary>More</summary>\n</details>')).toEqual(['<details>', '<summary>More</summary>', '</details>']);
  });

  it('link reference definitions print nothing', () => {
    expect(linesOf('[x][1]\n\n[1]: https://a.b')).toEqual(['x (https://a.b)']);
  });

  it('empty input renders as nothing', () => {
    expect(renderMarkdown('', { width: 80, color: true })).toBe('');
  });
});
