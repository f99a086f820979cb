/**
 * Fenced code: highlighted by language when highlight.js knows it, plain
 * otherwise; indented, never re-flowed, broken at the width when too long.
 */
import { describe, expect, it } from 'vitest';
import { renderMarkdown } from '../../../source/ui/markdown/renderer.js';
import { ESC, linesOf, plain, widest } from './helpers.js';

const fence = (lang: string, code: string) => `\`\`\`${lang}\n${code}\n\`\`\``;
const color = (markdown: string, width = 80) => renderMarkdown(markdown, { width, color: true });

describe('code blocks', () => {
  const TS = 'const answer: number = 42; // why\nfunction f() {\n  return "s";\n}';

  it('highlights TypeScript: keywords, numbers, strings and comments get escape codes', () => {
    const out = color(fence('ts', TS));
    expect(out).toContain(`${ESC}[35mconst${ESC}[39m`); // keyword
    expect(out).toContain(`${ESC}[33m42${ESC}[39m`); // number
    expect(out).toContain(`${ESC}[32m"s"${ESC}[39m`); // string
    expect(out).toMatch(/\u001b\[90m\u001b\[3m\/\/ why/); // comment
    // Highlighting adds styles, never changes the text; each line is indented by two.
    expect(plain(out).split('\n')).toEqual(TS.split('\n').map((line) => `  ${line}`));
  });

  it('shows an unknown language plain, even with colour on', () => {
    expect(color(fence('nosuchlang', 'some <code> & stuff'))).toBe('  some <code> & stuff');
    expect(color(fence('', 'no language'))).toBe('  no language');
  });

  it('shows indented code blocks plain', () => {
    expect(color('para\n\n    indented code')).toBe('para\n\n  indented code');
  });

  it('without colour keeps the code and its indentation, with no escape codes', () => {
    const out = renderMarkdown(fence('ts', TS), { width: 80, color: false });
    expect(out).not.toContain(ESC);
    expect(out.split('\n')).toEqual(TS.split('\n').map((line) => `  ${line}`));
  });

  it('knows the curated languages and their usual aliases', () => {
    const samples: Array<[string, string]> = [
      ['js', 'let a = 1'],
      ['python', 'def f(): pass'],
      ['py', 'import os'],
      ['bash', 'if true; then echo hi; fi'],
      ['sh', 'for x in a; do echo; done'],
      ['json', '{"a": 1}'],
      ['yaml', 'a: 1'],
      ['go', 'func main() {}'],
      ['rust', 'fn main() {}'],
      ['java', 'public class A {}'],
      ['c', 'int main(void) { return 0; }'],
      ['cpp', 'int main() { return 0; }'],
      ['css', 'a { color: red; }'],
      ['html', '<div class="a">x</div>'],
      ['xml', '<a b="c"/>'],
      ['sql', 'SELECT 1 FROM t'],
      ['toml', '[section]\nkey = "v"'],
      ['diff', '-a\n+b'],
      ['markdown', '# title'],
    ];
    for (const [lang, code] of samples) {
      expect(color(fence(lang, code)), lang).toContain(ESC);
    }
  });

  it('takes the language from the first word of the info string', () => {
    expect(color(fence('ts title="a.ts"', 'const a = 1'))).toContain(`${ESC}[35mconst`);
  });

  it('restyles every line of a multi-line token, so lines stand alone', () => {
    const lines = color(fence('ts', '/* one\n   two */ x')).split('\n');
    expect(lines[0]).toMatch(/^ {2}\u001b\[90m/);
    expect(lines[1]).toMatch(/^ {2}\u001b\[90m/);
  });

  it('breaks long lines at the width instead of re-flowing them', () => {
    const long = `const s = "${'x'.repeat(60)}";`;
    const out = color(fence('ts', long), 30);
    expect(widest(out)).toBeLessThanOrEqual(30);
    expect(plain(out).split('\n').map((line) => line.slice(2)).join('')).toBe(long);
  });

  it('keeps blank lines and leading spaces in code', () => {
    expect(linesOf(fence('', 'a\n\n    b'))).toEqual(['  a', '', '      b']);
  });

  it('expands tabs', () => {
    expect(linesOf(fence('', '\tx\ta'))).toEqual(['      x   a']);
  });
});
