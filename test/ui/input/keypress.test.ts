import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KeypressParser, parseKeys, type KeyEvent } from '../../../source/ui/input/keypress.js';

/** Name and modifiers of each event, the way a test reads them: `ctrl+alt+shift+name`, `text:abc`, `paste:…`. */
function brief(events: KeyEvent[]): string[] {
  return events.map((event) => {
    if (event.kind === 'paste') return `paste:${event.text}`;
    if (event.name === 'text') return `text:${event.sequence}`;
    return `${event.ctrl ? 'ctrl+' : ''}${event.meta ? 'alt+' : ''}${event.shift ? 'shift+' : ''}${event.name}`;
  });
}

function keys(input: string): string[] {
  return brief(parseKeys(input));
}

/** Adjacent text runs joined: a run split across reads is the same typing. */
function joined(events: KeyEvent[]): string[] {
  const out: string[] = [];
  for (const line of brief(events)) {
    const last = out.at(-1);
    if (line.startsWith('text:') && last?.startsWith('text:')) out[out.length - 1] = last + line.slice(5);
    else out.push(line);
  }
  return out;
}

function inChunks(chunks: Array<string | Uint8Array>): KeyEvent[] {
  const parser = new KeypressParser();
  const events = chunks.flatMap((chunk) => parser.push(chunk));
  return [...events, ...parser.finish()];
}

describe('KeypressParser: single keys', () => {
  it('reads printable runs as one text key, multi-byte characters included', () => {
    expect(keys('hello')).toEqual(['text:hello']);
    expect(keys('日本語👍🏽')).toEqual(['text:日本語👍🏽']);
    expect(keys('ab\rcd')).toEqual(['text:ab', 'enter', 'text:cd']);
  });

  it('holds half a surrogate pair or half a UTF-8 character until the rest arrives', () => {
    const parser = new KeypressParser();
    expect(brief(parser.push('a\uD83D'))).toEqual(['text:a']);
    expect(brief(parser.push('\uDC4D'))).toEqual(['text:👍']);
    const bytes = new TextEncoder().encode('日');
    expect(parser.push(bytes.slice(0, 2))).toEqual([]);
    expect(brief(parser.push(bytes.slice(2)))).toEqual(['text:日']);
  });

  it('decodes Enter and the newline chords terminals send', () => {
    expect(keys('\r')).toEqual(['enter']);
    expect(keys('\n')).toEqual(['ctrl+j']);
    expect(keys('\x1b[13;2u')).toEqual(['shift+enter']);
    expect(keys('\x1b[27;2;13~')).toEqual(['shift+enter']);
    expect(keys('\x1b[13;5u')).toEqual(['ctrl+enter']);
    expect(keys('\x1b\r')).toEqual(['alt+enter']);
  });

  it('decodes editing keys', () => {
    expect(keys('\x7f')).toEqual(['backspace']);
    expect(keys('\b')).toEqual(['backspace']);
    expect(keys('\x1b\x7f')).toEqual(['alt+backspace']);
    expect(keys('\x1b[3~')).toEqual(['delete']);
    expect(keys('\t')).toEqual(['tab']);
    expect(keys('\x1b[Z')).toEqual(['shift+tab']);
    expect(keys('\x1b[5~\x1b[6~')).toEqual(['pageup', 'pagedown']);
  });

  it('decodes arrows in normal and application mode, with modifiers', () => {
    expect(keys('\x1b[A\x1b[B\x1b[C\x1b[D')).toEqual(['up', 'down', 'right', 'left']);
    expect(keys('\x1bOA\x1bOD')).toEqual(['up', 'left']);
    expect(keys('\x1b[1;5C')).toEqual(['ctrl+right']);
    expect(keys('\x1b[1;3D')).toEqual(['alt+left']);
    expect(keys('\x1b[1;2A')).toEqual(['shift+up']);
    expect(keys('\x1b\x1b[D')).toEqual(['alt+left']);
  });

  it('decodes Home and End in every encoding', () => {
    for (const home of ['\x1b[H', '\x1b[1~', '\x1b[7~', '\x1bOH']) expect(keys(home)).toEqual(['home']);
    for (const end of ['\x1b[F', '\x1b[4~', '\x1b[8~', '\x1bOF']) expect(keys(end)).toEqual(['end']);
  });

  it('decodes Ctrl+letters, Alt+letters and kitty-encoded chords', () => {
    expect(keys('\x01\x03\x04\x12\x1a')).toEqual(['ctrl+a', 'ctrl+c', 'ctrl+d', 'ctrl+r', 'ctrl+z']);
    expect(keys('\x1bb')).toEqual(['alt+b']);
    expect(keys('\x1bB')).toEqual(['alt+shift+b']);
    expect(keys('\x1b[99;5u')).toEqual(['ctrl+c']);
    expect(keys('\x1b[127;5u')).toEqual(['ctrl+backspace']);
    expect(keys('\x1b[27u')).toEqual(['escape']);
    expect(keys('\x1b\x1b[A\x1bx\x1b[97;5u')).toEqual(['alt+up', 'alt+x', 'ctrl+a']);
    // A shifted character key in CSI-u types the character.
    expect(keys('\x1b[97;2u')).toEqual(['text:A']);
  });

  it('decodes the mouse wheel and drops other mouse and focus reports', () => {
    expect(keys('\x1b[<64;10;5M')).toEqual(['wheelup']);
    expect(keys('\x1b[<65;10;5M')).toEqual(['wheeldown']);
    expect(keys('\x1b[<0;10;5M\x1b[<0;10;5m\x1b[<35;3;4M')).toEqual([]);
    expect(keys('\x1b[I\x1b[O')).toEqual([]);
    expect(keys(`\x1b[M${String.fromCharCode(96, 40, 40)}`)).toEqual(['wheelup']);
  });

  it('reports sequences it does not know as unknown, never as typed text', () => {
    expect(keys('\x1b[99~')).toEqual(['unknown']);
    expect(keys('\x1b[?1u')).toEqual([]);
  });
});

describe('KeypressParser: Escape and timing', () => {
  it('holds a lone ESC until flush', () => {
    const parser = new KeypressParser();
    expect(parser.push('\x1b')).toEqual([]);
    expect(parser.pending).toBe(true);
    expect(brief(parser.flush())).toEqual(['escape']);
    expect(parser.pending).toBe(false);
  });

  it('completes a sequence whose rest arrives before the timeout', () => {
    const parser = new KeypressParser();
    expect(parser.push('\x1b')).toEqual([]);
    expect(brief(parser.push('[A'))).toEqual(['up']);
  });

  it('reads a stale ESC [ as Alt+[ and decodes what follows afresh', () => {
    const parser = new KeypressParser();
    expect(parser.push('\x1b[')).toEqual([]);
    expect(brief(parser.flush())).toEqual(['alt+[']);
    expect(brief(parser.push('x'))).toEqual(['text:x']);
  });

  it('reads two ESCs not followed by a sequence as two Escapes', () => {
    expect(keys('\x1b\x1b')).toEqual(['escape', 'escape']);
    expect(keys('\x1b\x1ba')).toEqual(['escape', 'alt+a']);
  });
});

describe('KeypressParser: bracketed paste', () => {
  it('delivers a paste as one event with line breaks normalised', () => {
    expect(inChunks(['\x1b[200~one\r\ntwo\rthree\nfour\x1b[201~'])).toEqual([{ kind: 'paste', text: 'one\ntwo\nthree\nfour' }]);
  });

  it('keeps escape sequences and control characters inside a paste as text', () => {
    expect(keys('\x1b[200~a\x1b[Ab\x03\x1b[201~\r')).toEqual(['paste:a\x1b[Ab\x03', 'enter']);
  });

  it('assembles a paste spread over many chunks, the end marker split too', () => {
    const parser = new KeypressParser();
    const events: KeyEvent[] = [];
    for (const chunk of ['x\x1b[20', '0~first line\r', '\nsecond', ' line\x1b', '[20', '1', '~y']) events.push(...parser.push(chunk));
    expect(brief(events)).toEqual(['text:x', 'paste:first line\nsecond line', 'text:y']);
  });

  it('does not end a paste on flush: a paste can pause longer than the ESC timeout', () => {
    const parser = new KeypressParser();
    parser.push('\x1b[200~part one ');
    expect(parser.inPaste).toBe(true);
    expect(parser.pending).toBe(false);
    expect(parser.flush()).toEqual([]);
    expect(parser.push('part two\x1b[201~')).toEqual([{ kind: 'paste', text: 'part one part two' }]);
  });

  it('a paste marker prefix that is not the end marker stays in the paste', () => {
    expect(inChunks(['\x1b[200~a\x1b[20', '2~b\x1b[201~'])).toEqual([{ kind: 'paste', text: 'a\x1b[202~b' }]);
  });

  it('delivers an unterminated paste on finish', () => {
    const parser = new KeypressParser();
    parser.push('\x1b[200~never ended\x1b[20');
    expect(parser.finish()).toEqual([{ kind: 'paste', text: 'never ended\x1b[20' }]);
  });
});

describe('KeypressParser: chunk boundaries never change the events', () => {
  const samples = [
    'hello world\r',
    '日本語 and emoji 👨‍👩‍👧 🇯🇵 é\r',
    '\x1b[A\x1b[1;5C\x1bOB\x1b[3~\x1b[Z\x1b[200~pasted\r\nlines\x1b[201~after',
    '\x1b[13;2u\x1b[27;2;13~\x1b\r\n\x7f\b\t',
    '\x01\x05\x0b\x15\x17\x1bb\x1bF\x1b\x7f',
    '\x1b[<64;10;5M\x1b[<65;1;1M\x1b[<0;3;3m\x1b[I\x1b[O',
    '\x1b[H\x1b[F\x1b[1~\x1b[4~\x1bOH\x1b[5~\x1b[6~',
    '\x1b[200~\x1b[20\x1b[201\x1b[201~x',
    '\x1b\x1b[A\x1bx\x1b[97;5u',
  ];

  it('splitting a sample at any one position gives the same events as one chunk', () => {
    for (const sample of samples) {
      const whole = joined(inChunks([sample]));
      for (let at = 0; at <= sample.length; at++) {
        expect(joined(inChunks([sample.slice(0, at), sample.slice(at)])), `${JSON.stringify(sample)} split at ${at}`).toEqual(whole);
      }
    }
  });

  it('splitting the UTF-8 bytes at any position gives the same events', () => {
    for (const sample of samples) {
      const bytes = new TextEncoder().encode(sample);
      const whole = joined(inChunks([bytes]));
      expect(whole).toEqual(joined(inChunks([sample])));
      for (let at = 0; at <= bytes.length; at++) {
        expect(joined(inChunks([bytes.slice(0, at), bytes.slice(at)])), `${JSON.stringify(sample)} byte ${at}`).toEqual(whole);
      }
    }
  });

  it('any number of splits, in bytes or text, gives the same events', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...samples),
        fc.array(fc.nat(), { maxLength: 8 }),
        fc.boolean(),
        (sample, cuts, asBytes) => {
          const data = asBytes ? new TextEncoder().encode(sample) : sample;
          const positions = [...new Set(cuts.map((cut) => cut % (data.length + 1)))].sort((a, b) => a - b);
          const chunks: Array<string | Uint8Array> = [];
          let previous = 0;
          for (const at of [...positions, data.length]) {
            chunks.push(data.slice(previous, at));
            previous = at;
          }
          expect(joined(inChunks(chunks))).toEqual(joined(inChunks([sample])));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('never drops a typed character: arbitrary text arrives whole', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), fc.nat(), (typed, cut) => {
        const printable = typed.replace(/[\x00-\x1f\x7f-\x9f]/g, '');
        const at = printable.length ? cut % printable.length : 0;
        const text = joined(inChunks([printable.slice(0, at), printable.slice(at)]));
        expect(text).toEqual(printable ? [`text:${printable}`] : []);
      }),
    );
  });
});
