import { describe, expect, it } from 'vitest';
import { SseDecoder, type ServerSentEvent } from '../../../source/engine/llm/sse.js';

/** The events of `pieces` fed one after another, with the end of the stream. */
function decode(...pieces: string[]): ServerSentEvent[] {
  const decoder = new SseDecoder();
  const out: ServerSentEvent[] = [];
  for (const piece of pieces) decoder.push(piece, out);
  decoder.end(out);
  return out;
}

describe('SseDecoder', () => {
  it('reads data and event fields, one event per blank line', () => {
    expect(decode('data: {"a":1}\n\nevent: error\ndata: x\n\n')).toEqual([
      { event: undefined, data: '{"a":1}' },
      { event: 'error', data: 'x' },
    ]);
  });

  it('joins data lines with LF, strips one space after the colon, skips comments and other fields', () => {
    expect(decode(': keep-alive\nid: 7\nretry: 10\ndata:  two spaces\ndata:none\ndata\n\n')).toEqual([{ event: undefined, data: ' two spaces\nnone\n' }]);
  });

  it('takes LF, CR and CRLF line ends alike, also when a CRLF is split between reads', () => {
    const expected = [
      { event: undefined, data: 'a' },
      { event: undefined, data: 'b' },
    ];
    expect(decode('data: a\r\n\r\ndata: b\r\n\r\n')).toEqual(expected);
    expect(decode('data: a\r\rdata: b\r\r')).toEqual(expected);
    expect(decode('data: a\r', '\n\r', '\ndata: b\r\n', '\r\n')).toEqual(expected);
    // A CR then an LF in the next read is one line end, not an empty line: the event goes on.
    expect(decode('data: a\r', '\ndata: b\n\n')).toEqual([{ event: undefined, data: 'a\nb' }]);
  });

  it('puts together lines and events split anywhere', () => {
    const text = 'data: {"one":1}\n\ndata: {"two":2}\n\n';
    for (let cut = 1; cut < text.length; cut++) {
      expect(decode(text.slice(0, cut), text.slice(cut))).toEqual([
        { event: undefined, data: '{"one":1}' },
        { event: undefined, data: '{"two":2}' },
      ]);
    }
  });

  it('delivers the last event when the stream ends without its blank line, and nothing for a stream of comments', () => {
    expect(decode('data: last')).toEqual([{ event: undefined, data: 'last' }]);
    expect(decode('data: last\n')).toEqual([{ event: undefined, data: 'last' }]);
    expect(decode(': ping\n\n: ping\n')).toEqual([]);
  });
});
