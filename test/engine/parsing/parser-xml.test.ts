import { describe, expect, it } from 'vitest';
import { mergeText, type ParseEvent } from '../../../source/engine/parsing/events.js';
import { XML_FORMAT } from '../../../source/engine/parsing/format.js';
import { parseToolCalls, ToolCallParser } from '../../../source/engine/parsing/parser.js';

const TOOLS = ['bash', 'read', 'write', 'jobs'];
const known = (name: string) => TOOLS.includes(name);
const format = XML_FORMAT;

function parse(text: string): ParseEvent[] {
  const whole = parseToolCalls(text, { format, known });
  const parser = new ToolCallParser({ format, known });
  const chars = [...[...text].flatMap((c) => parser.push(c)), ...parser.end()];
  expect(mergeText(chars)).toEqual(whole);
  return whole;
}

const text = (t: string) => ({ type: 'text', text: t });

describe('xml format', () => {
  it('parses a call with attributes and a body', () => {
    const raw = `<bash timeout="30" description='list it'>\nls -la src\n</bash>`;
    expect(parse(raw)).toEqual([{ type: 'call', name: 'bash', args: { timeout: '30', description: 'list it' }, content: 'ls -la src', raw }]);
  });

  it('parses self-closing calls, with or without a space before the slash', () => {
    expect(parse('<read path="a.ts"/>')).toEqual([{ type: 'call', name: 'read', args: { path: 'a.ts' }, raw: '<read path="a.ts"/>' }]);
    expect(parse('<read path="a.ts" />')).toMatchObject([{ name: 'read', args: { path: 'a.ts' } }]);
    expect(parse('<jobs/>')).toEqual([{ type: 'call', name: 'jobs', args: {}, raw: '<jobs/>' }]);
    expect(parse('<jobs />')[0]).not.toHaveProperty('content');
  });

  it('parses an empty body as empty content', () => {
    expect(parse('<jobs></jobs>')).toEqual([{ type: 'call', name: 'jobs', args: {}, content: '', raw: '<jobs></jobs>' }]);
  });

  it('keeps text before, between and after several calls', () => {
    const events = parse('First <read path="a"/>, then\n<bash>\nls\n</bash>\nend');
    expect(events.map((e) => (e.type === 'text' ? e.text : `<${e.name}>`))).toEqual(['First ', '<read>', ', then\n', '<bash>', '\nend']);
  });

  it('echoes unknown tags exactly as written, whole elements included', () => {
    const input = '<div class="x">hi <b>there</b></div> <br/> <Bash>ls</Bash> <p\nid="a">';
    expect(parse(input)).toEqual([text(input)]);
  });

  it('parses a known call nested in unknown markup', () => {
    expect(parse('<div><bash>ls</bash></div>')).toEqual([text('<div>'), { type: 'call', name: 'bash', args: {}, content: 'ls', raw: '<bash>ls</bash>' }, text('</div>')]);
  });

  it('releases a block still open at the end, or a tag cut short, as text', () => {
    for (const input of ['<write path="a">half', '<bash>ls</bas', '<read path="a', '<read path="a"/', '<read ', '<rea']) {
      expect(parse(`x ${input}`)).toEqual([text(`x ${input}`)]);
    }
  });

  it('treats other tags inside a body as body text', () => {
    const body = '<html><body class="a"></body></html>\n</read> <bash/> [/bash]x[bash/]';
    const raw = `<write path="index.html">\n${body}\n</write>`;
    expect(parse(raw)).toEqual([{ type: 'call', name: 'write', args: { path: 'index.html' }, content: body, raw }]);
  });

  it('closes at the first exact close tag: blocks do not nest', () => {
    expect(parse('<write path="a"><write>x</write>y</write>')).toEqual([
      { type: 'call', name: 'write', args: { path: 'a' }, content: '<write>x', raw: '<write path="a"><write>x</write>' },
      text('y</write>'),
    ]);
  });

  it('keeps quotes, > and /> inside attribute values', () => {
    const raw = `<bash a="it's > 2" b='say "hi"/>' c="multi\nline"></bash>`;
    expect(parse(raw)).toMatchObject([{ args: { a: "it's > 2", b: 'say "hi"/>', c: 'multi\nline' }, content: '' }]);
  });

  it('rejects malformed attributes as text at the first bad character', () => {
    for (const input of ['<bash foo>ls</bash>', '<bash a=b>ls</bash>', '<bash a = "b">ls</bash>', '<bash a="b"c="d">ls</bash>', '<bash/ >', '<bash 1="x">ls</bash>']) {
      expect(parse(input)).toEqual([text(input)]);
    }
    // Released as soon as it cannot be a tag, not at the end of the stream.
    const parser = new ToolCallParser({ format, known });
    expect(parser.push('<bash foo')).toEqual([]);
    expect(parser.push(' x')).toEqual([text('<bash foo x')]);
  });

  it('handles CRLF line ends', () => {
    const raw = '<bash timeout="5">\r\nls\r\npwd\r\n</bash>';
    expect(parse(`a\r\n${raw}\r\n`)).toEqual([text('a\r\n'), { type: 'call', name: 'bash', args: { timeout: '5' }, content: 'ls\r\npwd', raw }, text('\r\n')]);
  });

  it('passes unicode through', () => {
    const raw = '<write path="ü/名前.txt">\n中文 😀\n</write>';
    expect(parse(`→ ${raw} ←`)).toEqual([text('→ '), { type: 'call', name: 'write', args: { path: 'ü/名前.txt' }, content: '中文 😀', raw }, text(' ←')]);
  });

  it('leaves comparisons, generics and stray closes alone', () => {
    const input = 'if a<b && c>d, Array<string>, x </bash> <!-- c --> <?x?> < bash> <3 </ >';
    expect(parse(input)).toEqual([text(input)]);
  });
});
