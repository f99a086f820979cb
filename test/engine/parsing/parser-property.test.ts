/**
 * Property tests of the streaming parser: generated streams of prose and
 * calls, in every format, parse to exactly the generated calls however the
 * stream is split; arbitrary text never loses or invents a character.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mergeText, type CallEvent, type ParseEvent } from '../../../source/engine/parsing/events.js';
import { BRACKET_FORMAT, closeTag, resolveToolFormat, XML_FORMAT, type ToolCallFormat } from '../../../source/engine/parsing/format.js';
import { parseToolCalls, ToolCallParser } from '../../../source/engine/parsing/parser.js';
import { formatCall } from '../../../source/engine/parsing/render.js';

const FORMATS: Array<[string, ToolCallFormat]> = [
  ['bracket', BRACKET_FORMAT],
  ['xml', XML_FORMAT],
  ['braces, colon lines', resolveToolFormat({ start_char: '{', end_char: '}', arg_prefix: '--', arg_kv_sep: ':' })],
  ['[x]..[/x] lines', resolveToolFormat({ slash_means_open: false })],
  ['[/x k="v"] inline', resolveToolFormat({ arg_style: 'inline', arg_kv_sep: ':=' })],
  ['«x»..«/x» inline', resolveToolFormat({ start_char: '«', end_char: '»', slash_means_open: false, arg_style: 'inline' })],
];

// Every known name has a letter (s, h, r, w, t, u, n) that prose never uses, so prose cannot spell a known tag.
const KNOWN = ['bash', 'read', 'write', 'run_job'];
const known = (name: string) => KNOWN.includes(name);

/** Characters that make markers, plus a little of everything else. */
function alphabet(format: ToolCallFormat, letters: string): string[] {
  const marks = [format.start_char, format.end_char, '/', '=', '@', '"', "'", '<', '>', '[', ']', '-', ':', ' ', '\n', '\r\n', '\t'];
  return [...new Set([...letters, ...marks, 'é', '字', '😀'])];
}

/** Prose near-misses: known-name tags cut short or broken by a character no tag allows, so prose can never complete them. */
function proseTokens(format: ToolCallFormat): string[] {
  const open = `${format.start_char}${format.slash_means_open ? '/' : ''}`;
  const close = (name: string) => closeTag(format, name);
  return [`${open}bas`, `${open}wr`, `${open}run_`, `${open}bash!`, `${open}bash a=b`, `${open}read 'x'`, `${open}bash/x`, close('bash'), close('read')];
}

/** Body near-misses: every prefix of every close tag, open tags, the other formats' tags. */
function bodyTokens(format: ToolCallFormat): string[] {
  const tokens = KNOWN.flatMap((name) => {
    const close = closeTag(format, name);
    return [...Array.from({ length: close.length }, (_, k) => close.slice(0, k + 1)), formatCall(format, name, {}, undefined)];
  });
  return [...tokens, '[/bash]', '[bash/]', '<bash>', '</bash>', '<read path="x"/>', '@@path=x'];
}

const textOf = (chars: string[], max: number) => fc.array(fc.constantFrom(...chars), { maxLength: max }).map((a) => a.join(''));

interface Generated {
  input: string;
  expected: ParseEvent[];
}

function streams(format: ToolCallFormat): fc.Arbitrary<Generated> {
  const proseChars = [...alphabet(format, 'abcde'), ...proseTokens(format)];
  const bodyChars = [...alphabet(format, 'abcdehrswnotux_'), ...bodyTokens(format)];
  const prose = textOf(proseChars, 24);
  const key = fc.stringMatching(/^[a-z_][a-z0-9_-]{0,6}$/);
  const call = fc
    .record({
      name: fc.constantFrom(...KNOWN),
      args: fc.uniqueArray(fc.tuple(key, textOf(bodyChars, 12)), { maxLength: 3, selector: ([k]) => k }),
      content: fc.option(textOf(bodyChars, 40), { nil: undefined }),
    })
    .map(({ name, args, content }) => {
      const close = closeTag(format, name);
      const line = format.arg_style === 'line';
      // What the format cannot carry (see render.ts): drop it rather than filter, so runs stay cheap.
      const values = args
        .map(([k, v]): [string, string] => [k, line ? v.replaceAll('\r', '').replaceAll('\n', ' ') : v])
        .map(([k, v]): [string, string] => [k, v.includes('"') && v.includes("'") ? v.replaceAll("'", '') : v])
        .filter(([, v]) => !(line && v.includes(close)));
      let body = content;
      if (line) body ??= '';
      if (body !== undefined) {
        while (body.includes(close)) body = body.replaceAll(close, '');
        if (body.endsWith('\r')) body = body.slice(0, -1);
        if (line && body.startsWith(format.arg_prefix)) body = ` ${body}`;
      }
      const contentKey = '\u0000content';
      const all: Record<string, unknown> = Object.fromEntries(values);
      if (body !== undefined) all[contentKey] = body;
      const raw = formatCall(format, name, all, contentKey);
      const event: CallEvent = { type: 'call', name, args: Object.fromEntries(values), raw };
      if (body !== undefined) event.content = body;
      return event;
    });
  return fc.array(fc.oneof(prose, call), { maxLength: 8 }).map((parts) => ({
    input: parts.map((p) => (typeof p === 'string' ? p : p.raw)).join(''),
    expected: mergeText(parts.map((p): ParseEvent => (typeof p === 'string' ? { type: 'text', text: p } : p))),
  }));
}

function parseChunks(format: ToolCallFormat, chunks: readonly string[], isKnown = known): ParseEvent[] {
  const parser = new ToolCallParser({ format, known: isKnown });
  const events: ParseEvent[] = [];
  for (const chunk of chunks) events.push(...parser.push(chunk));
  events.push(...parser.end());
  return mergeText(events);
}

function splitAt(text: string, cuts: number[]): string[] {
  const points = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
  const out: string[] = [];
  let from = 0;
  for (const p of points) {
    out.push(text.slice(from, p));
    from = p;
  }
  out.push(text.slice(from));
  return out;
}

/** Text and raw calls, in order: the input again. */
const rebuild = (events: readonly ParseEvent[]) => events.map((e) => (e.type === 'text' ? e.text : e.raw)).join('');

describe.each(FORMATS)('generated streams: %s', (_label, format) => {
  it('parse to exactly the generated prose and calls, in one chunk and split at every position', () => {
    fc.assert(
      fc.property(streams(format), ({ input, expected }) => {
        expect(parseToolCalls(input, { format, known })).toEqual(expected);
        for (let i = 0; i <= input.length; i++) {
          expect(parseChunks(format, [input.slice(0, i), input.slice(i)])).toEqual(expected);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('parse the same one character (code unit or code point) per chunk and under random multi-splits', () => {
    fc.assert(
      fc.property(streams(format), fc.array(fc.nat(), { maxLength: 12 }), ({ input, expected }, cuts) => {
        expect(parseChunks(format, input.split(''))).toEqual(expected);
        expect(parseChunks(format, [...input])).toEqual(expected);
        expect(parseChunks(format, splitAt(input, cuts))).toEqual(expected);
      }),
      { numRuns: 200 },
    );
  });

  it('never loses or invents text: arbitrary input comes back verbatim, however split', () => {
    const chars = [...alphabet(format, 'abehrsw_'), ...KNOWN, ...proseTokens(format), ...bodyTokens(format)];
    fc.assert(
      fc.property(textOf(chars, 60), fc.array(fc.nat(), { maxLength: 8 }), (input, cuts) => {
        const whole = parseToolCalls(input, { format, known });
        expect(rebuild(whole)).toBe(input);
        expect(parseChunks(format, splitAt(input, cuts))).toEqual(whole);
        expect(parseChunks(format, input.split(''))).toEqual(whole);
      }),
      { numRuns: 300 },
    );
  });

  it('prose with stray start, end and slash characters comes through unchanged', () => {
    fc.assert(
      fc.property(textOf([...alphabet(format, 'abcde'), ...proseTokens(format)], 80), fc.array(fc.nat(), { maxLength: 8 }), (prose, cuts) => {
        const expected = prose ? [{ type: 'text', text: prose }] : [];
        expect(parseToolCalls(prose, { format, known })).toEqual(expected);
        expect(parseChunks(format, splitAt(prose, cuts))).toEqual(expected);
        // With no tool known, even text spelling real tags is prose.
        const tagged = `${prose}${formatCall(format, 'bash', { a: 'x', c: 'ls' }, 'c')}${prose}`;
        expect(parseChunks(format, splitAt(tagged, cuts), () => false)).toEqual([{ type: 'text', text: tagged }]);
      }),
      { numRuns: 200 },
    );
  });
});
