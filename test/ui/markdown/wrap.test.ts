/**
 * Wrapping: at any width, every rendered line fits in it (measured in
 * terminal cells), styles survive line breaks, and no words are lost.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { renderMarkdown } from '../../../source/ui/markdown/renderer.js';
import { linesOf, plain, widest } from './helpers.js';

const WORDS = ['alpha', 'beta', 'gamma', 'δέλτα', '中文字', '😀', '**bold**', '_it_', '`code`', '[link](https://x.io/a)', 'supercalifragilistic'];

/** A markdown document of paragraphs, nested lists, quotes, headings, tables and code. */
const documents = fc
  .array(
    fc.tuple(
      fc.constantFrom('p', 'h', 'ul', 'ol', 'quote', 'table', 'code'),
      fc.array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 30 }).map((words) => words.join(' ')),
    ),
    { minLength: 1, maxLength: 6 },
  )
  .map((blocks) =>
    blocks
      .map(([kind, text]) => {
        switch (kind) {
          case 'h':
            return `## ${text}`;
          case 'ul':
            return `- ${text}\n  - ${text}\n    - ${text}`;
          case 'ol':
            return `1. ${text}\n2. ${text}`;
          case 'quote':
            return `> ${text}\n> > ${text}`;
          case 'table':
            return `| a | b |\n|---|---|\n| ${text.replaceAll('|', '')} | ${text.slice(0, 9)} |`;
          case 'code':
            return `\`\`\`ts\nconst s = "${text}";\n\`\`\``;
          default:
            return text;
        }
      })
      .join('\n\n'),
  );

describe('wrapping', () => {
  it('every line fits the width, with and without colour', () => {
    fc.assert(
      fc.property(documents, fc.integer({ min: 12, max: 120 }), fc.boolean(), (markdown, width, color) => {
        expect(widest(renderMarkdown(markdown, { width, color }))).toBeLessThanOrEqual(width);
      }),
      { numRuns: 150 },
    );
  });

  it('wraps prose at word boundaries, losing no words', () => {
    const text = 'The quick brown fox jumps over the lazy dog and keeps running far away';
    const lines = linesOf(text, 20);
    expect(lines).toEqual(['The quick brown fox', 'jumps over the lazy', 'dog and keeps', 'running far away']);
    expect(lines.join(' ')).toBe(text);
  });

  it('breaks a word longer than the width', () => {
    expect(linesOf('x'.repeat(25), 10)).toEqual(['x'.repeat(10), 'x'.repeat(10), 'x'.repeat(5)]);
  });

  it('measures wide characters: CJK wraps by cells, not characters', () => {
    const lines = linesOf('中文字 中文字 中文字 中文字', 14);
    expect(lines).toEqual(['中文字 中文字', '中文字 中文字']);
  });

  it('a style that spans a line break is closed and reopened on each line', () => {
    const out = renderMarkdown('**one two three four five six**', { width: 10, color: true });
    for (const line of out.split('\n')) {
      expect(line.startsWith('\u001b[1m')).toBe(true);
      expect(line.endsWith('\u001b[22m')).toBe(true);
    }
    expect(plain(out).split('\n')).toEqual(['one two', 'three four', 'five six']);
  });

  it('quotes and lists wrap within the width including their prefixes', () => {
    const text = 'word '.repeat(20).trim();
    for (const markdown of [`> ${text}`, `- ${text}`, `1. ${text}`, `- a\n  - ${text}`]) {
      const lines = linesOf(markdown, 18);
      expect(widest(lines.join('\n'))).toBeLessThanOrEqual(18);
      expect(lines.length).toBeGreaterThan(3);
    }
  });

  it('treats a missing or nonsense width as 80 columns', () => {
    const long = 'word '.repeat(40).trim();
    expect(widest(renderMarkdown(long, { width: Number.NaN, color: false }))).toBe(79);
    expect(widest(renderMarkdown(long, { width: 0, color: false }))).toBe(79);
  });
});
