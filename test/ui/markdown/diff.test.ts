/**
 * renderDiff: unified diffs from the `diff` package, numbered from their hunk
 * headers, coloured by kind, cut to a line budget and to the width.
 */
import { createPatch, createTwoFilesPatch } from 'diff';
import stringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import { renderDiff } from '../../../source/ui/markdown/diff.js';
import { ESC, plain } from './helpers.js';

const BEFORE = 'one\ntwo\nthree\n';
const AFTER = 'one\n2\nthree\nfour\n';
const PATCH = createTwoFilesPatch('a.ts', 'b.ts', BEFORE, AFTER);

const lines = (patch: string, width = 80, maxLines?: number) => renderDiff(patch, { width, color: false, maxLines }).split('\n');

describe('renderDiff', () => {
  it('lays out headers, hunks and numbered lines', () => {
    expect(lines(PATCH)).toEqual([
      '--- a.ts',
      '+++ b.ts',
      '@@ -1,3 +1,4 @@',
      '1 1 │  one',
      '2   │ -two',
      '  2 │ +2',
      '3 3 │  three',
      '  4 │ +four',
    ]);
  });

  it('colours additions green, removals red, hunk headers cyan and file headers bold', () => {
    const out = renderDiff(PATCH, { width: 80, color: true }).split('\n');
    expect(out[0]).toBe(`${ESC}[1m--- a.ts${ESC}[22m`);
    expect(out[2]).toBe(`${ESC}[36m${ESC}[2m@@ -1,3 +1,4 @@${ESC}[22m${ESC}[39m`);
    expect(out[4]).toContain(`${ESC}[31m-two${ESC}[39m`);
    expect(out[5]).toContain(`${ESC}[32m+2${ESC}[39m`);
    expect(out[3]).toBe(`${ESC}[90m1 1 │ ${ESC}[39m one`); // context: only the gutter is styled (dim)
    expect(plain(out.join('\n')).split('\n')).toEqual(lines(PATCH));
  });

  it('numbers lines from the hunk headers, aligning numbers of different lengths', () => {
    const before = Array.from({ length: 120 }, (_, i) => `line ${i + 1}`);
    const after = [...before];
    after[4] = 'changed 5';
    after[99] = 'changed 100';
    const out = lines(createPatch('f.txt', `${before.join('\n')}\n`, `${after.join('\n')}\n`));
    expect(out).toContain('  5     │ -line 5');
    expect(out).toContain('      5 │ +changed 5');
    expect(out).toContain('100     │ -line 100');
    expect(out).toContain('    100 │ +changed 100');
    expect(out).toContain('103 103 │  line 103');
    expect(out.filter((line) => line.startsWith('@@'))).toEqual(['@@ -1,9 +1,9 @@', '@@ -96,9 +96,9 @@']);
  });

  it("drops createPatch's Index: and ===== lines", () => {
    expect(lines(createPatch('f.ts', 'x\n', 'y\n'))).toEqual(['--- f.ts', '+++ f.ts', '@@ -1,1 +1,1 @@', '1   │ -x', '  1 │ +y']);
  });

  it('cuts at maxLines, the last line counting what was left out', () => {
    const out = lines(PATCH, 80, 5);
    expect(out).toHaveLength(5);
    expect(out.slice(0, 4)).toEqual(['--- a.ts', '+++ b.ts', '@@ -1,3 +1,4 @@', '1 1 │  one']);
    expect(out[4]).toBe('… 4 more lines');
    expect(lines(PATCH, 80, 7).at(-1)).toBe('… 2 more lines');
    expect(lines(PATCH, 80, 8)).toEqual(lines(PATCH)); // it all fits: nothing cut
    expect(lines(PATCH, 80, 1)).toEqual(['… 8 more lines']);
    const big = createPatch('f', '', Array.from({ length: 50 }, (_, i) => `l${i}`).join('\n'));
    expect(renderDiff(big, { width: 80, color: true, maxLines: 10 }).split('\n').at(-1)).toBe(`${ESC}[90m… 45 more lines${ESC}[39m`);
  });

  it('cuts lines wider than the width with an ellipsis', () => {
    const patch = createPatch('f', 'short\n', `${'wide 字 '.repeat(20)}\n`);
    for (const line of lines(patch, 30)) expect(stringWidth(line)).toBeLessThanOrEqual(30);
    expect(lines(patch, 30).at(-1)).toMatch(/^ {2}1 │ \+wide 字 .*…$/);
  });

  it('takes a removed line that reads like a file header for a removal', () => {
    const patch = createTwoFilesPatch('a', 'b', '-- not a header\nkeep\n', 'keep\n');
    expect(lines(patch)).toContain('1   │ --- not a header');
    expect(lines(patch).filter((line) => line.startsWith('---'))).toEqual(['--- a']);
  });

  it('shows "no newline at end of file" markers dimmed', () => {
    const patch = createTwoFilesPatch('a', 'b', 'x', 'y');
    expect(lines(patch)).toContain('\\ No newline at end of file');
    expect(renderDiff(patch, { width: 80, color: true })).toContain(`${ESC}[90m\\ No newline at end of file${ESC}[39m`);
  });

  it('has no escape codes without colour', () => {
    expect(renderDiff(PATCH, { width: 40, color: false, maxLines: 3 })).not.toContain(ESC);
  });

  it('renders an empty patch as nothing', () => {
    expect(renderDiff('', { width: 80, color: true })).toBe('');
  });
});
