import { describe, expect, expectTypeOf, it } from 'vitest';
import type { ToolResultStatus } from '../../../source/engine/events.js';
import { BRACKET_FORMAT, resolveToolFormat, XML_FORMAT } from '../../../source/engine/parsing/format.js';
import { frameworkHints, nativeHints } from '../../../source/engine/parsing/hints.js';
import { parseToolCalls } from '../../../source/engine/parsing/parser.js';
import { renderToolResults, resultStatusWord, type TextResultStatus } from '../../../source/engine/parsing/results.js';

describe('renderToolResults', () => {
  it('renders one section per result, in order, as one message', () => {
    const text = renderToolResults([
      { name: 'bash', status: 'ok', output: 'a.txt\nb.txt\n', exitCode: 0 },
      { name: 'bash', status: 'error', output: 'ls: nope\n[exit code 2]', exitCode: 2 },
      { name: 'read', status: 'error', output: 'file not found: x' },
      { name: 'explore', jobId: 'job_3', status: 'ok', output: [{ type: 'text', text: 'found it ' }, { type: 'image', url: 'data:image/png;base64,AA' }] },
      { name: 'bash', status: 'interrupted', output: '' },
      { name: 'write', status: 'cancelled', output: '\n' },
      { name: 'grep', status: 'timeout', output: 'partial\r\n' },
    ]);
    expect(text).toBe(
      [
        '## bash - OK\na.txt\nb.txt',
        '## bash - exit=2\nls: nope\n[exit code 2]',
        '## read - ERROR\nfile not found: x',
        '## job_3 - OK\nfound it [image]',
        '## bash - INTERRUPTED\n(no output)',
        '## write - CANCELLED\n(no output)',
        '## grep - TIMEOUT\npartial',
      ].join('\n\n'),
    );
  });

  it('shows a non-zero exit only for ok and error results', () => {
    expect(resultStatusWord({ status: 'ok', exitCode: 1 })).toBe('exit=1');
    expect(resultStatusWord({ status: 'error', exitCode: null })).toBe('ERROR');
    expect(resultStatusWord({ status: 'interrupted', exitCode: 130 })).toBe('INTERRUPTED');
    expect(renderToolResults([])).toBe('');
  });

  it('uses the same statuses as engine events', () => {
    expectTypeOf<TextResultStatus>().toEqualTypeOf<ToolResultStatus>();
  });
});

describe('frameworkHints', () => {
  const toolNames = ['bash', 'read', 'write'];

  it('teaches the bracket format with a complete example', () => {
    expect(frameworkHints(BRACKET_FORMAT, { toolNames, bodyArgs: { bash: 'command', read: 'path', write: 'content' } })).toBe(
      [
        '## Calling tools',
        '',
        'To use a tool, write a call block in your reply, like this:',
        '',
        '[/bash]',
        '@@description=List the source folder',
        'ls -la src',
        '[bash/]',
        '',
        '- A call opens with [/name] and closes with [name/], with the same tool name.',
        '- Arguments come first, one per line: @@key=value. A value ends at the end of its line.',
        '- The rest of the block is the main input, written as is: no quoting, no escaping.',
        '- The main input is the argument: bash → command, read → path, write → content.',
        '- A call runs as soon as its close tag is written; you may make several calls in one reply.',
        '- Tools: bash, read, write. A tag with any other name is printed as plain text and runs nothing.',
        "- Only write a tool's tags to call it. A body ends at the first close tag of its name; a call still open when your reply ends does not run.",
        '- Results arrive in the next user message, one "## <name> - OK" (or ERROR, exit=N, ...) section per call. Never write results yourself: after your calls, stop and wait.',
      ].join('\n'),
    );
  });

  it('teaches the xml format, self-closing included', () => {
    const hints = frameworkHints(XML_FORMAT, { toolNames });
    expect(hints).toContain('<bash description="List the source folder">\nls -la src\n</bash>');
    expect(hints).toContain('- A call opens with <name key="value"> and closes with </name>, with the same tool name. Without a body it may close itself: <name key="value"/>.');
    expect(hints).not.toContain('The main input is the argument');
  });

  it('describes a custom format with its own delimiters and an example it parses', () => {
    const format = resolveToolFormat({ start_char: '{', end_char: '}', arg_prefix: '--', arg_kv_sep: ':' });
    const hints = frameworkHints(format, { toolNames: ['fetch'], example: { name: 'fetch', args: { timeout: '10' }, content: 'https://example.com' } });
    expect(hints).toContain('{/fetch}\n--timeout:10\nhttps://example.com\n{fetch/}');
    expect(hints).toContain('- A call opens with {/name} and closes with {name/}');
    expect(hints).toContain('--key:value');
    const calls = parseToolCalls(hints, { format, known: (n) => n === 'fetch' }).filter((e) => e.type === 'call');
    expect(calls).toEqual([expect.objectContaining({ name: 'fetch', args: { timeout: '10' }, content: 'https://example.com' })]);
  });

  it('has an example the parser reads back as exactly one call, in each preset', () => {
    for (const format of [BRACKET_FORMAT, XML_FORMAT]) {
      const calls = parseToolCalls(frameworkHints(format, { toolNames }), { format, known: (n) => toolNames.includes(n) }).filter((e) => e.type === 'call');
      expect(calls).toMatchObject([{ name: 'bash', args: { description: 'List the source folder' }, content: 'ls -la src' }]);
    }
  });

  it('is deterministic and falls back to a placeholder example without bash', () => {
    const a = frameworkHints(XML_FORMAT, { toolNames: ['grep', 'glob'] });
    expect(frameworkHints(XML_FORMAT, { toolNames: ['grep', 'glob'] })).toBe(a);
    expect(a).toContain('<grep argument="value">\nmain input\n</grep>');
    expect(frameworkHints(BRACKET_FORMAT, { toolNames: [] })).toContain('- Tools: (none).');
  });

  it('has a one-line native hint', () => {
    expect(nativeHints()).not.toContain('\n');
    expect(nativeHints()).toBe(nativeHints());
  });
});
