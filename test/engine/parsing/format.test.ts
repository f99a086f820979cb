import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../source/engine/errors.js';
import { BRACKET_FORMAT, closeTag, openTag, resolveToolFormat, XML_FORMAT } from '../../../source/engine/parsing/format.js';
import { parseToolCalls } from '../../../source/engine/parsing/parser.js';
import { formatCall } from '../../../source/engine/parsing/render.js';
import { thrown } from '../../helpers/thrown.js';

const known = (name: string) => ['bash', 'read', 'write'].includes(name);

describe('resolveToolFormat', () => {
  it('maps the names to the presets', () => {
    expect(resolveToolFormat('bracket')).toBe(BRACKET_FORMAT);
    expect(resolveToolFormat('xml')).toBe(XML_FORMAT);
    expect(BRACKET_FORMAT).toEqual({ start_char: '[', end_char: ']', slash_means_open: true, arg_style: 'line', arg_prefix: '@@', arg_kv_sep: '=' });
    expect(XML_FORMAT).toEqual({ start_char: '<', end_char: '>', slash_means_open: false, arg_style: 'inline', arg_prefix: '', arg_kv_sep: '=' });
  });

  it('fills a custom dict from the bracket preset', () => {
    expect(resolveToolFormat({ start_char: '{', end_char: '}' })).toEqual({ ...BRACKET_FORMAT, start_char: '{', end_char: '}' });
    expect(resolveToolFormat({})).toEqual(BRACKET_FORMAT);
  });

  it.each([
    [{ start_chr: '{' }, 'tool_format.start_chr', 'unknown key'],
    [{ start_char: '{{' }, 'tool_format.start_char', 'exactly one character'],
    [{ start_char: 'a' }, 'tool_format.start_char', 'must not be a letter'],
    [{ end_char: '/' }, 'tool_format.end_char', 'must not be a letter'],
    [{ end_char: '[' }, 'tool_format.end_char', 'must differ from start_char'],
    [{ slash_means_open: 'yes' }, 'tool_format.slash_means_open', 'true or false'],
    [{ arg_style: 'attrs' }, 'tool_format.arg_style', "'line' or 'inline'"],
    [{ arg_prefix: '' }, 'tool_format.arg_prefix', 'must not be empty'],
    [{ arg_kv_sep: '' }, 'tool_format.arg_kv_sep', 'must not be empty'],
    [{ arg_kv_sep: '-' }, 'tool_format.arg_kv_sep', 'must not start with'],
    [{ arg_style: 'inline', arg_kv_sep: '=/' }, 'tool_format.arg_kv_sep', 'end_char or /'],
  ])('rejects %j', (value, key, detail) => {
    const error = thrown(ConfigError, () => resolveToolFormat(value as Record<string, unknown>));
    expect(error.message).toContain(`key '${key}'`);
    expect(error.message).toContain(detail);
  });

  it('rejects values that are not a name or a mapping', () => {
    thrown(ConfigError, () => resolveToolFormat(['x'] as unknown as Record<string, unknown>));
  });

  it('builds open and close tags', () => {
    expect([openTag(BRACKET_FORMAT, 'bash'), closeTag(BRACKET_FORMAT, 'bash')]).toEqual(['[/bash]', '[bash/]']);
    expect([openTag(XML_FORMAT, 'bash'), closeTag(XML_FORMAT, 'bash')]).toEqual(['<bash>', '</bash>']);
  });
});

describe('custom formats share the one state machine', () => {
  it('braces with -- key:value lines', () => {
    const format = resolveToolFormat({ start_char: '{', end_char: '}', arg_prefix: '--', arg_kv_sep: ':' });
    const raw = '{/read}\n--path:f.py\n--offset:3\n{read/}';
    expect(parseToolCalls(`x {a} ${raw} {/nope}{nope/}`, { format, known })).toEqual([
      { type: 'text', text: 'x {a} ' },
      { type: 'call', name: 'read', args: { path: 'f.py', offset: '3' }, content: '', raw },
      { type: 'text', text: ' {/nope}{nope/}' },
    ]);
  });

  it('[x] opens and [/x] closes with line arguments', () => {
    const format = resolveToolFormat({ slash_means_open: false });
    const raw = '[bash]\n@@timeout=3\nls [x] [/read]\n[/bash]';
    expect(parseToolCalls(`[link] ${raw}`, { format, known })).toEqual([
      { type: 'text', text: '[link] ' },
      { type: 'call', name: 'bash', args: { timeout: '3' }, content: 'ls [x] [/read]', raw },
    ]);
  });

  it('[/x k="v"] inline arguments with a two-character separator and self-closing', () => {
    const format = resolveToolFormat({ arg_style: 'inline', arg_kv_sep: ':=' });
    expect(parseToolCalls('[/read path:="a b"/] [/bash t:="1"]\nls\n[bash/] [/bash t="1"]', { format, known })).toEqual([
      { type: 'call', name: 'read', args: { path: 'a b' }, raw: '[/read path:="a b"/]' },
      { type: 'text', text: ' ' },
      { type: 'call', name: 'bash', args: { t: '1' }, content: 'ls', raw: '[/bash t:="1"]\nls\n[bash/]' },
      { type: 'text', text: ' [/bash t="1"]' },
    ]);
  });
});

describe('formatCall', () => {
  it('renders bracket calls', () => {
    expect(formatCall(BRACKET_FORMAT, 'bash', { timeout: 30, command: 'ls -la src' }, 'command')).toBe('[/bash]\n@@timeout=30\nls -la src\n[bash/]');
    expect(formatCall(BRACKET_FORMAT, 'jobs', {})).toBe('[/jobs]\n[jobs/]');
    expect(formatCall(BRACKET_FORMAT, 'read', { path: 'a', offset: undefined })).toBe('[/read]\n@@path=a\n[read/]');
  });

  it('renders xml calls, self-closing without content', () => {
    expect(formatCall(XML_FORMAT, 'bash', { timeout: 30, command: 'ls' }, 'command')).toBe('<bash timeout="30">\nls\n</bash>');
    expect(formatCall(XML_FORMAT, 'read', { path: 'a.ts', limit: 5 }, 'content')).toBe('<read path="a.ts" limit="5"/>');
    expect(formatCall(XML_FORMAT, 'grep', { pattern: 'say "hi"', flags: ['i'] })).toBe(`<grep pattern='say "hi"' flags='["i"]'/>`);
  });

  it('renders custom formats', () => {
    const format = resolveToolFormat({ start_char: '{', end_char: '}', arg_prefix: '--', arg_kv_sep: ':' });
    expect(formatCall(format, 'read', { path: 'f.py' })).toBe('{/read}\n--path:f.py\n{read/}');
  });

  it('round-trips through the parser', () => {
    for (const format of [BRACKET_FORMAT, XML_FORMAT]) {
      const args = { path: 'dir/a b.txt', content: '\nfirst line blank\r\nlast line\n' };
      const [call] = parseToolCalls(formatCall(format, 'write', args, 'content'), { format, known });
      expect(call).toMatchObject({ type: 'call', name: 'write', args: { path: 'dir/a b.txt' }, content: args.content });
    }
  });
});
