/**
 * findSafeSplitPoint: where streaming markdown can be cut so the prefix is
 * finished markdown. Examples first, then properties over generated streams.
 */
import fc from 'fast-check';
import { Lexer, type Tokens } from 'marked';
import { describe, expect, it } from 'vitest';
import { findSafeSplitPoint } from '../../../source/ui/markdown/split.js';

/** The index of the first occurrence of `marker` in `text`, which must be there. */
function at(text: string, marker: string): number {
  const index = text.indexOf(marker);
  if (index < 0) throw new Error(`no ${marker}`);
  return index;
}

describe('findSafeSplitPoint', () => {
  it('splits after the last blank line', () => {
    const text = 'first para\n\nsecond para\n\nthird, still stream';
    expect(findSafeSplitPoint(text)).toBe(at(text, 'third'));
    expect(findSafeSplitPoint('done\n\n')).toBe(6);
  });

  it('counts a whitespace-only line as blank', () => {
    expect(findSafeSplitPoint('a\n   \nb')).toBe(6);
  });

  it('has no split without a finished blank line', () => {
    expect(findSafeSplitPoint('')).toBe(0);
    expect(findSafeSplitPoint('one line')).toBe(0);
    expect(findSafeSplitPoint('two\nlines')).toBe(0);
    expect(findSafeSplitPoint('para\n')).toBe(0); // the next line may continue the paragraph
    expect(findSafeSplitPoint('para\n  ')).toBe(0); // a blank line still being typed
  });

  it('has no split when nothing but whitespace comes before it', () => {
    expect(findSafeSplitPoint('\n\nabc')).toBe(0);
    expect(findSafeSplitPoint('  \n```ts\ncode')).toBe(0);
  });

  it('inside an open fence, splits just before the fence', () => {
    const text = 'intro\n\nmore intro\n```ts\nconst a = 1;\n\nconst b';
    expect(findSafeSplitPoint(text)).toBe(at(text, '```'));
  });

  it('splits before a fence still being opened', () => {
    expect(findSafeSplitPoint('para\n```')).toBe(5);
    expect(findSafeSplitPoint('para\n~~~py')).toBe(5);
  });

  it('has no split when the open fence starts the text', () => {
    expect(findSafeSplitPoint('```ts\ncode\n\nmore code')).toBe(0);
  });

  it('ignores blank lines inside a closed fence and splits at the blank line after it', () => {
    const text = 'intro\n\n```\na\n\nb\n```\n\nafter\n\nmore';
    expect(findSafeSplitPoint(text)).toBe(at(text, 'more'));
  });

  it('splits just after a closed fence', () => {
    const text = '```py\nx = 1\n\ny = 2\n```\nafter it';
    expect(findSafeSplitPoint(text)).toBe(at(text, 'after'));
  });

  it('a fence closes only with a whole line of the same marker, at least as long', () => {
    const longer = '````\n```\n\nstill code\n';
    expect(findSafeSplitPoint(`intro\n\n${longer}`)).toBe(7);
    const mixed = 'intro\n\n```\n~~~\n\ncode\n``` not a close\n\nx';
    expect(findSafeSplitPoint(mixed)).toBe(7);
    // The closing line must be complete: "```" could still become "```x".
    expect(findSafeSplitPoint('intro\n\n```\ncode\n```')).toBe(7);
    const closed = 'intro\n\n```\ncode\n```\n';
    expect(findSafeSplitPoint(closed)).toBe(closed.length);
  });

  it('counts indented fences, as in list items', () => {
    const text = '- item\n\n  ```ts\n  code\n\n  more';
    expect(findSafeSplitPoint(text)).toBe(at(text, '  ```'));
  });

  it('handles CRLF line endings', () => {
    expect(findSafeSplitPoint('a\r\n\r\nb')).toBe(5);
  });
});

/** Lines a model might stream: prose, list items, fences of both kinds and lengths, blanks. */
const LINES = ['para', 'more text', '- item', '1. step', '> quote', '', '  ', '```', '```ts', '````', '~~~', '~~~py', '``` x', '# head'];
const streams = fc
  .tuple(fc.array(fc.constantFrom(...LINES), { maxLength: 25 }), fc.constantFrom('', '\n', 'tail', '``'))
  .map(([lines, end]) => lines.join('\n') + (lines.length ? '\n' : '') + end);

/** Every fenced code block the lexer finds in `markdown` is closed. */
function fencesClosed(markdown: string): boolean {
  const codes: Tokens.Code[] = [];
  const walk = (tokens: readonly { type: string; tokens?: unknown; items?: unknown }[]) => {
    for (const token of tokens) {
      if (token.type === 'code') codes.push(token as Tokens.Code);
      if (Array.isArray(token.tokens)) walk(token.tokens);
      if (Array.isArray(token.items)) walk(token.items);
    }
  };
  walk(Lexer.lex(markdown));
  return codes
    .filter((code) => code.codeBlockStyle !== 'indented')
    .every((code) => {
      const lines = code.raw.replace(/\n+$/, '').split('\n');
      const open = /^\s*(`{3,}|~{3,})/.exec(lines[0] ?? '')?.[1] ?? '';
      const close = lines.length > 1 ? /^\s*(`{3,}|~{3,})\s*$/.exec(lines.at(-1) ?? '')?.[1] : undefined;
      return close !== undefined && close[0] === open[0] && close.length >= open.length;
    });
}

describe('findSafeSplitPoint properties', () => {
  it('is 0 or the start of a line within the text', () => {
    fc.assert(
      fc.property(streams, (text) => {
        const split = findSafeSplitPoint(text);
        expect(split).toBeGreaterThanOrEqual(0);
        expect(split).toBeLessThanOrEqual(text.length);
        if (split > 0) expect(text[split - 1]).toBe('\n');
      }),
      { numRuns: 500 },
    );
  });

  it('never leaves an unclosed fence in the prefix', () => {
    fc.assert(
      fc.property(streams, (text) => {
        expect(fencesClosed(text.slice(0, findSafeSplitPoint(text)))).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('never moves backwards as the text streams in, character by character', () => {
    fc.assert(
      fc.property(streams, (text) => {
        let last = 0;
        for (let end = 0; end <= text.length; end++) {
          const split = findSafeSplitPoint(text.slice(0, end));
          expect(split).toBeGreaterThanOrEqual(last);
          last = split;
        }
      }),
      { numRuns: 300 },
    );
  });

  it('the prefix of a split is itself fully safe: splitting it again keeps it whole or cuts at an earlier boundary', () => {
    fc.assert(
      fc.property(streams, (text) => {
        const split = findSafeSplitPoint(text);
        expect(findSafeSplitPoint(text.slice(0, split))).toBeLessThanOrEqual(split);
      }),
      { numRuns: 300 },
    );
  });
});
