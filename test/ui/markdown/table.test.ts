/**
 * Tables: columns measured in terminal cells (CJK and emoji are two wide),
 * shrunk and wrapped to fit the width, and a record layout when too narrow.
 */
import stringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import { renderMarkdown } from '../../../source/ui/markdown/renderer.js';
import { fitColumns } from '../../../source/ui/markdown/table.js';
import { ESC, linesOf, plain } from './helpers.js';

const WIDE = `| Name | 名前 | Mood |
|------|:----:|-----:|
| Ada | 中文字 | 😀 |
| 李 | x | 🎉🎉 |
| Grace Hopper | 日本 | ok |`;

describe('tables', () => {
  it('aligns CJK and emoji cells: every row has the same display width', () => {
    const lines = linesOf(WIDE);
    expect(lines).toEqual([
      '┌──────────────┬────────┬──────┐',
      '│ Name         │  名前  │ Mood │',
      '├──────────────┼────────┼──────┤',
      '│ Ada          │ 中文字 │   😀 │',
      '│ 李           │   x    │ 🎉🎉 │',
      '│ Grace Hopper │  日本  │   ok │',
      '└──────────────┴────────┴──────┘',
    ]);
    expect(new Set(lines.map((line) => stringWidth(line))).size).toBe(1);
  });

  it('keeps that alignment with colour, styling the header and borders', () => {
    const out = renderMarkdown(WIDE, { width: 80, color: true });
    expect(out).toContain(`${ESC}[1mName${ESC}[22m`);
    expect(out).toContain(`${ESC}[90m│${ESC}[39m`);
    expect(new Set(out.split('\n').map((line) => stringWidth(line))).size).toBe(1);
    expect(plain(out)).toBe(linesOf(WIDE).join('\n'));
  });

  it('shrinks wide columns and wraps their cells to fit the width', () => {
    const table = '| id | description |\n|---|---|\n| 1 | a long description that cannot fit on one narrow line |';
    const lines = linesOf(table, 30);
    expect(lines.every((line) => stringWidth(line) === 30)).toBe(true);
    expect(lines).toEqual([
      '┌────┬───────────────────────┐',
      '│ id │ description           │',
      '├────┼───────────────────────┤',
      '│ 1  │ a long description    │',
      '│    │ that cannot fit on    │',
      '│    │ one narrow line       │',
      '└────┴───────────────────────┘',
    ]);
  });

  it('falls back to header: value records when the columns cannot fit', () => {
    const table = '| a | b | c | d |\n|---|---|---|---|\n| 1 | 2 | 3 | 4 |\n| 5 | 6 | 7 | 8 |';
    expect(linesOf(table, 16)).toEqual(['a: 1', 'b: 2', 'c: 3', 'd: 4', '', 'a: 5', 'b: 6', 'c: 7', 'd: 8']);
  });

  it('renders inline styles inside cells', () => {
    expect(linesOf('| x |\n|---|\n| `a` **b** |')).toEqual(['┌───────┐', '│ x     │', '├───────┤', '│ `a` b │', '└───────┘']);
  });
});

describe('fitColumns', () => {
  it('keeps natural widths that fit', () => {
    expect(fitColumns([3, 10, 5], 30)).toEqual([3, 10, 5]);
  });

  it('keeps narrow columns whole and splits what is left among wide ones', () => {
    expect(fitColumns([3, 40, 50], 43)).toEqual([3, 20, 20]);
    expect(fitColumns([3, 10, 50], 40)).toEqual([3, 10, 27]);
  });

  it('never exceeds the space available', () => {
    for (const available of [6, 17, 33, 64]) {
      const widths = fitColumns([9, 40, 2, 25], available);
      expect(widths.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(available);
    }
  });
});
