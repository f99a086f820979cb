/**
 * The streaming half of keyboard input: raw stdin chunks in, key and paste
 * events out. A read can end anywhere — inside an escape sequence, inside a
 * UTF-8 character, inside a paste or its end marker — so whatever cannot be
 * decoded yet is held and decoded with the next chunk. The result never
 * depends on where the chunk boundaries fell.
 *
 * A lone ESC is ambiguous until time passes (Escape, or the start of a
 * sequence whose rest is in flight), so the caller calls `flush()` after a
 * short quiet period (~50 ms); `pending` says whether that timer is needed.
 */
import { textKey, type KeyEvent } from './key-event.js';
import { ESC, controlKey, decodeEscape, decodeStale, isControl } from './sequences.js';

export type { KeyEvent, KeyPress, PasteEvent } from './key-event.js';

const PASTE_END = '\x1b[201~';

/** How far `drain` may go with what it holds. */
type Mode =
  /** More input may follow: hold anything incomplete. */
  | 'more'
  /** The ESC timeout passed: resolve incomplete escapes, keep waiting on a paste or a split character. */
  | 'flush'
  /** Input is over: deliver everything. */
  | 'finish';

export class KeypressParser {
  /** Decoded text not yet turned into events. */
  private held = '';
  /** Text of the bracketed paste being received, or undefined outside a paste. */
  private paste: string | undefined;
  /** Turns byte chunks into text, keeping a UTF-8 character split across reads. */
  private readonly decoder = new TextDecoder('utf-8');

  /** Decode a chunk; a Buffer/Uint8Array chunk may end mid-character. */
  push(chunk: string | Uint8Array): KeyEvent[] {
    this.held += typeof chunk === 'string' ? chunk : this.decoder.decode(chunk, { stream: true });
    return this.drain('more');
  }

  /**
   * Called after the ESC timeout: a held ESC becomes Escape (or Alt+key).
   * An open paste stays open — a big paste can pause longer than the
   * timeout between reads, and must still arrive as one event.
   */
  flush(): KeyEvent[] {
    return this.drain('flush');
  }

  /** Input has ended (or the UI is tearing down): deliver everything held, an unterminated paste included. */
  finish(): KeyEvent[] {
    this.held += this.decoder.decode();
    const events = this.drain('finish');
    if (this.paste !== undefined) {
      const text = this.paste + this.held;
      this.paste = undefined;
      this.held = '';
      events.push(...pasteEvent(text));
    }
    return events;
  }

  /** Whether an ESC or a partial escape sequence is held: the UI should call `flush()` after the timeout. */
  get pending(): boolean {
    return this.paste === undefined && this.held.startsWith(ESC);
  }

  /** Whether a bracketed paste has started and not yet ended. */
  get inPaste(): boolean {
    return this.paste !== undefined;
  }

  private drain(mode: Mode): KeyEvent[] {
    const input = this.held;
    const events: KeyEvent[] = [];
    let at = 0;
    while (at < input.length) {
      if (this.paste !== undefined) {
        const end = input.indexOf(PASTE_END, at);
        if (end < 0) {
          // Keep a possible start of the end marker; it may complete in the next chunk.
          const keep = partialMarkerLength(input, at, PASTE_END);
          this.paste += input.slice(at, input.length - keep);
          at = input.length - keep;
          break;
        }
        events.push(...pasteEvent(this.paste + input.slice(at, end)));
        this.paste = undefined;
        at = end + PASTE_END.length;
        continue;
      }
      const char = input[at] as string;
      if (char === ESC) {
        const decoded = decodeEscape(input, at) ?? (mode === 'more' ? undefined : decodeStale(input, at));
        if (!decoded) break;
        if (decoded.pasteStart) this.paste = '';
        else if (decoded.event) events.push(decoded.event);
        at += decoded.length;
        continue;
      }
      if (isControl(char.charCodeAt(0))) {
        events.push(controlKey(char));
        at++;
        continue;
      }
      let end = at;
      while (end < input.length && !isControl(input.charCodeAt(end))) end++;
      // A high surrogate at the very end waits for its low half (string chunks can split a pair).
      if (end === input.length && mode !== 'finish' && isHighSurrogate(input.charCodeAt(end - 1))) end--;
      if (end === at) break;
      events.push(textKey(input.slice(at, end)));
      at = end;
    }
    this.held = input.slice(at);
    return events;
  }
}

function pasteEvent(raw: string): KeyEvent[] {
  const text = raw.replace(/\r\n?/g, '\n');
  return text ? [{ kind: 'paste', text }] : [];
}

/** Length of the longest suffix of `input` (from `from` on) that is a proper prefix of `marker`. */
function partialMarkerLength(input: string, from: number, marker: string): number {
  for (let length = Math.min(marker.length - 1, input.length - from); length > 0; length--) {
    if (input.endsWith(marker.slice(0, length))) return length;
  }
  return 0;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

/** Parse a complete input in one go (tests, replaying recorded input). */
export function parseKeys(input: string | Uint8Array): KeyEvent[] {
  const parser = new KeypressParser();
  return [...parser.push(input), ...parser.finish()];
}
