import { describe, expect, it } from 'vitest';
import { mergeText, type ParseEvent } from '../../../source/engine/parsing/events.js';
import { BRACKET_FORMAT } from '../../../source/engine/parsing/format.js';
import { parseToolCalls, ToolCallParser } from '../../../source/engine/parsing/parser.js';

const TOOLS = ['bash', 'read', 'write', 'edit', 'jobs'];
const known = (name: string) => TOOLS.includes(name);
const format = BRACKET_FORMAT;

/** Parse in one chunk, check one character per chunk agrees, return the events. */
function parse(text: string): ParseEvent[] {
  const whole = parseToolCalls(text, { format, known });
  const parser = new ToolCallParser({ format, known });
  const chars = [...[...text].flatMap((c) => parser.push(c)), ...parser.end()];
  expect(mergeText(chars)).toEqual(whole);
  return whole;
}

const text = (t: string) => ({ type: 'text', text: t });

describe('bracket format', () => {
  it('parses a call with an argument line and a content body', () => {
    const raw = '[/bash]\n@@timeout=30\nls -la src\n[bash/]';
    expect(parse(raw)).toEqual([{ type: 'call', name: 'bash', args: { timeout: '30' }, content: 'ls -la src', raw }]);
  });

  it('parses a call with only content, or only arguments, or nothing', () => {
    expect(parse('[/bash]\nls\n[bash/]')).toMatchObject([{ name: 'bash', args: {}, content: 'ls' }]);
    expect(parse('[/read]\n@@path=src/a.ts\n@@offset=10\n[read/]')).toMatchObject([{ name: 'read', args: { path: 'src/a.ts', offset: '10' }, content: '' }]);
    expect(parse('[/jobs][jobs/]')).toMatchObject([{ name: 'jobs', args: {}, content: '' }]);
    expect(parse('[/jobs]\n[jobs/]')).toMatchObject([{ name: 'jobs', content: '' }]);
    expect(parse('[/bash]ls[bash/]')).toMatchObject([{ name: 'bash', content: 'ls' }]);
  });

  it('keeps text before, between and after calls, and emits calls in order', () => {
    const events = parse('Let me look.\n[/bash]\nls\n[bash/]\nand\n[/read]\n@@path=a\n[read/]\nDone.');
    expect(events.map((e) => (e.type === 'text' ? e.text : `<${e.name}>`))).toEqual(['Let me look.\n', '<bash>', '\nand\n', '<read>', '\nDone.']);
  });

  it('echoes unknown names exactly as written', () => {
    const input = 'See [/foo]\n@@x=1\nbody\n[foo/] and [/Bash]x[Bash/] then [/bash_x]y[bash_x/].';
    expect(parse(input)).toEqual([text(input)]);
  });

  it('releases a block still open at the end as text, without a call', () => {
    const input = 'Writing:\n[/write]\n@@path=a.txt\nhalf a fi';
    expect(parse(input)).toEqual([text(input)]);
    expect(parse('tail [/wri')).toEqual([text('tail [/wri')]);
    expect(parse('tail [/bash]\nls\n[bash')).toEqual([text('tail [/bash]\nls\n[bash')]);
  });

  it('treats tags of other names (and of the other format) inside a body as body text', () => {
    const body = 'x [read/] [/bash] [jobs/]\n<div class="a">[x]</div>\n</write> <write path="b"/>';
    const raw = `[/write]\n@@path=a.html\n${body}\n[write/]`;
    expect(parse(raw)).toEqual([{ type: 'call', name: 'write', args: { path: 'a.html' }, content: body, raw }]);
  });

  it('closes at the first exact close tag: blocks do not nest', () => {
    const input = '[/write]\n@@path=doc.md\nuse [/write] ... [write/] like so\n[write/]';
    expect(parse(input)).toEqual([
      { type: 'call', name: 'write', args: { path: 'doc.md' }, content: 'use [/write] ... ', raw: '[/write]\n@@path=doc.md\nuse [/write] ... [write/]' },
      text(' like so\n[write/]'),
    ]);
  });

  it('handles CRLF line ends', () => {
    const raw = '[/bash]\r\n@@timeout=30\r\nls -la\r\necho hi\r\n[bash/]';
    expect(parse(`a\r\n${raw}\r\nb`)).toEqual([text('a\r\n'), { type: 'call', name: 'bash', args: { timeout: '30' }, content: 'ls -la\r\necho hi', raw }, text('\r\nb')]);
  });

  it('passes unicode through in prose, arguments and bodies', () => {
    const raw = '[/write]\n@@path=日本語/ファイル.md\n# 見出し 😀\nnaïve café\n[write/]';
    expect(parse(`こんにちは 🌍 ${raw} 終わり`)).toEqual([
      text('こんにちは 🌍 '),
      { type: 'call', name: 'write', args: { path: '日本語/ファイル.md' }, content: '# 見出し 😀\nnaïve café', raw },
      text(' 終わり'),
    ]);
  });

  it('removes only one leading and one trailing newline from the content', () => {
    expect(parse('[/write]\n@@path=a\n\n\nx\n\n\n[write/]')).toMatchObject([{ content: '\n\nx\n\n' }]);
    expect(parse('[/write]\n\n[write/]')).toMatchObject([{ content: '' }]);
  });

  it('reads argument lines only at the top; a diff hunk header is content', () => {
    expect(parse('[/bash]\n@@description=list\nls\n@@late=1\n[bash/]')).toMatchObject([{ args: { description: 'list' }, content: 'ls\n@@late=1' }]);
    const diff = '@@ -1,3 +1,4 @@\n-a\n+b';
    expect(parse(`[/edit]\n${diff}\n[edit/]`)).toMatchObject([{ args: {}, content: diff }]);
    expect(parse('[/bash]\n@@a=x=y\n@@b=\n@@a=z\n[bash/]')).toMatchObject([{ args: { a: 'z', b: '' }, content: '' }]);
  });

  it('leaves stray brackets, slashes and markdown alone', () => {
    const input = 'a[0] = b[i/2]; see [link](x/y) [/] [/ bash] [//bash] [bash/] [/bash x] [[/usr/bin]] /[ ]/';
    expect(parse(input)).toEqual([text(input)]);
  });

  it('finds a call right after a broken tag', () => {
    expect(parse('[[/bash]ls[bash/]')).toMatchObject([text('['), { name: 'bash', content: 'ls' }]);
    expect(parse('[/[/bash]ls[bash/]')).toMatchObject([text('[/'), { name: 'bash' }]);
    expect(parse('[/bas[/bash]ls[bash/]')).toMatchObject([text('[/bas'), { name: 'bash' }]);
  });

  it('gives up on names longer than 64 characters', () => {
    const long = `[/${'a'.repeat(70)}]`;
    let asked = 0;
    const events = parseToolCalls(long, { format, known: () => (asked++, true) });
    expect(events).toEqual([text(long)]);
    expect(asked).toBe(0);
  });

  it('streams prose at once and holds back only what may start a tag', () => {
    const parser = new ToolCallParser({ format, known });
    expect(parser.push('Hello ')).toEqual([text('Hello ')]);
    expect(parser.push('world [')).toEqual([text('world ')]);
    expect(parser.push('/ba')).toEqual([]);
    expect(parser.push('sh]\nl')).toEqual([]);
    expect(parser.push('s\n[bash/')).toEqual([]);
    expect(parser.push(']ok')).toEqual([{ type: 'call', name: 'bash', args: {}, content: 'ls', raw: '[/bash]\nls\n[bash/]' }, text('ok')]);
    expect(parser.push(' [/x')).toEqual([text(' ')]);
    expect(parser.push('yz]')).toEqual([text('[/xyz]')]);
    expect(parser.end()).toEqual([]);
  });

  it('asks known() once per complete open tag name', () => {
    const asked: string[] = [];
    parseToolCalls('[/bash]x[bash/] [/nope] [/bas', { format, known: (n) => (asked.push(n), known(n)) });
    expect(asked).toEqual(['bash', 'nope']);
  });

  it('can be reused after end()', () => {
    const parser = new ToolCallParser({ format, known });
    parser.push('[/bash]\nls');
    expect(parser.end()).toEqual([text('[/bash]\nls')]);
    expect([...parser.push('[/bash]pwd[bash/]'), ...parser.end()]).toMatchObject([{ name: 'bash', content: 'pwd' }]);
  });

  it('does not self-close in a line-style format', () => {
    expect(parse('[/jobs/] [/jobs]')).toEqual([text('[/jobs/] [/jobs]')]);
  });
});
