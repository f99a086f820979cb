/**
 * The streaming tool-call parser: one character-level state machine for
 * every `ToolCallFormat`. Feed it whatever chunks the model stream gives
 * (`push`), then `end()`.
 *
 * Why character-level: a marker can be split anywhere between chunks, and
 * the UI wants prose as soon as it arrives. The machine holds back only the
 * characters that could still be the start of a tag (`pending`); the moment
 * they cannot, they are released as text, exactly as written. Every decision
 * depends only on the characters seen so far, never on where a chunk ended,
 * so splitting the input never changes the output (modulo how adjacent text
 * is grouped into events).
 *
 * Inside a block only the exact close tag of the open name counts; every
 * other tag is body text. Blocks do not nest: the first exact close ends the
 * block, even if the body opened the same name again (see README).
 */
import { inlineContent, splitLineBody } from './body.js';
import { isNameChar, isNameStart, isSpace, MAX_NAME_LENGTH } from './chars.js';
import { type CallEvent, mergeText, type ParseEvent } from './events.js';
import { closeTag, type ToolCallFormat } from './format.js';

export interface ToolCallParserOptions {
  format: ToolCallFormat;
  /** Whether a name is a callable tool; any other name is echoed as text. Asked once per open tag. */
  known: (name: string) => boolean;
}

/**
 * States. `normal`: prose. `maybe-open`: saw `start_char`. `open-slash`:
 * saw `start_char /` (slash-means-open formats). `open-name`: reading the
 * tool name. `attrs`: reading inline attributes (sub-state in `attr`).
 * `self-closing`: saw `/` at the end of an open tag, expecting `end_char`.
 * `block`: inside a body; `closeAt` counts how much of the close tag matched
 * (0 = none, so the MAYBE_CLOSE / IN_CLOSE_NAME states are `closeAt > 0`).
 */
type State = 'normal' | 'maybe-open' | 'open-slash' | 'open-name' | 'attrs' | 'self-closing' | 'block';

/** Inside an open tag's attributes: `space` before a name, `name`, `sep` (inside a multi-character separator), `value-start`, `quoted`, `after-value`. */
type AttrState = 'space' | 'name' | 'sep' | 'value-start' | 'quoted' | 'after-value';

export class ToolCallParser {
  private readonly format: ToolCallFormat;
  private readonly known: (name: string) => boolean;
  private readonly start: string;
  private readonly endChar: string;
  private readonly sep: string;

  private state: State = 'normal';
  /** Raw text of a tag being read; released as text if it turns out not to be one. */
  private pending = '';
  private name = '';
  private attr: AttrState = 'space';
  private attrKey = '';
  private attrValue = '';
  private quote = '';
  private sepAt = 0;
  private attrs = new Map<string, string>();
  /** The open tag as written, once the block is open. */
  private openRaw = '';
  private body = '';
  private close = '';
  private closeAt = 0;

  /** Output of the current `push` / `end`: text is gathered and flushed before each call. */
  private out: ParseEvent[] = [];
  private text = '';

  constructor(options: ToolCallParserOptions) {
    this.format = options.format;
    this.known = options.known;
    this.start = options.format.start_char;
    this.endChar = options.format.end_char;
    this.sep = options.format.arg_kv_sep;
  }

  /** Feed the next chunk; returns what it completed. Text that cannot start a tag is returned at once. */
  push(chunk: string): ParseEvent[] {
    const n = chunk.length;
    let i = 0;
    while (i < n) {
      if (this.state === 'normal') {
        // Fast path: everything up to the next start_char is prose.
        const at = chunk.indexOf(this.start, i);
        if (at === -1) {
          this.text += i === 0 ? chunk : chunk.slice(i);
          break;
        }
        this.text += chunk.slice(i, at);
        this.pending = this.start;
        this.state = 'maybe-open';
        i = at + 1;
      } else if (this.state === 'block') {
        if (this.closeAt === 0) {
          // Fast path: the close tag starts with start_char, which occurs nowhere else in it.
          const at = chunk.indexOf(this.start, i);
          if (at === -1) {
            this.body += i === 0 ? chunk : chunk.slice(i);
            break;
          }
          this.body += chunk.slice(i, at);
          this.closeAt = 1;
          i = at + 1;
        } else if (chunk[i] === this.close[this.closeAt]) {
          this.closeAt++;
          i++;
          if (this.closeAt === this.close.length) this.closeBlock();
        } else {
          // Not the close after all: what matched is body text; look at this character again.
          this.body += this.close.slice(0, this.closeAt);
          this.closeAt = 0;
        }
      } else if (this.step(chunk[i] as string)) {
        i++;
      }
    }
    return this.take();
  }

  /**
   * The stream is over: a partial tag or a block that never closed is
   * released as text, exactly as written (an unclosed call never runs).
   * The parser is then ready for a new stream.
   */
  end(): ParseEvent[] {
    if (this.state === 'block') this.text += this.openRaw + this.body + this.close.slice(0, this.closeAt);
    else if (this.state !== 'normal') this.text += this.pending;
    this.reset();
    return this.take();
  }

  /**
   * One character in a tag state. Returns false when the character was not
   * consumed: the tag was rejected (its text released) and the character
   * must be read again as prose, since it may start the next tag.
   */
  private step(c: string): boolean {
    switch (this.state) {
      case 'maybe-open':
        if (this.format.slash_means_open) {
          if (c !== '/') return this.reject();
          this.state = 'open-slash';
          return this.accept(c);
        }
        if (!isNameStart(c)) return this.reject();
        this.name = c;
        this.state = 'open-name';
        return this.accept(c);
      case 'open-slash':
        if (!isNameStart(c)) return this.reject();
        this.name = c;
        this.state = 'open-name';
        return this.accept(c);
      case 'open-name':
        return this.stepName(c);
      case 'attrs':
        return this.stepAttrs(c);
      case 'self-closing':
        if (c !== this.endChar) return this.reject();
        this.accept(c);
        this.emitCall(this.pending, undefined);
        this.reset();
        return true;
      default:
        throw new Error(`unreachable parser state ${this.state}`);
    }
  }

  private stepName(c: string): boolean {
    if (isNameChar(c)) {
      if (this.name.length >= MAX_NAME_LENGTH) return this.reject();
      this.name += c;
      return this.accept(c);
    }
    const inline = this.format.arg_style === 'inline';
    const ends = c === this.endChar || (inline && (isSpace(c) || c === '/'));
    // The name is complete: unknown names are released here, before any attributes, so prose streams on.
    if (!ends || !this.known(this.name)) return this.reject();
    this.accept(c);
    if (c === this.endChar) this.openBlock();
    else if (c === '/') this.state = 'self-closing';
    else {
      this.state = 'attrs';
      this.attr = 'space';
    }
    return true;
  }

  private stepAttrs(c: string): boolean {
    switch (this.attr) {
      case 'space':
        if (isSpace(c)) return this.accept(c);
        if (isNameStart(c)) {
          this.attrKey = c;
          this.attr = 'name';
          return this.accept(c);
        }
        return this.tagEnd(c);
      case 'name':
        if (isNameChar(c)) {
          if (this.attrKey.length >= MAX_NAME_LENGTH) return this.reject();
          this.attrKey += c;
          return this.accept(c);
        }
        if (c !== this.sep[0]) return this.reject();
        this.sepAt = 1;
        this.attr = this.sep.length === 1 ? 'value-start' : 'sep';
        return this.accept(c);
      case 'sep':
        if (c !== this.sep[this.sepAt]) return this.reject();
        this.sepAt++;
        if (this.sepAt === this.sep.length) this.attr = 'value-start';
        return this.accept(c);
      case 'value-start':
        // Values are quoted (either quote); unquoted values would make `/` and end_char ambiguous.
        if (c !== '"' && c !== "'") return this.reject();
        this.quote = c;
        this.attrValue = '';
        this.attr = 'quoted';
        return this.accept(c);
      case 'quoted':
        if (c === this.quote) {
          this.attrs.set(this.attrKey, this.attrValue);
          this.attr = 'after-value';
        } else {
          this.attrValue += c;
        }
        return this.accept(c);
      case 'after-value':
        if (isSpace(c)) {
          this.attr = 'space';
          return this.accept(c);
        }
        return this.tagEnd(c);
    }
  }

  /** After an attribute (or the space before one): `end_char` opens the block, `/` starts a self-close. */
  private tagEnd(c: string): boolean {
    if (c === this.endChar) {
      this.accept(c);
      this.openBlock();
      return true;
    }
    if (c === '/') {
      this.state = 'self-closing';
      return this.accept(c);
    }
    return this.reject();
  }

  private accept(c: string): true {
    this.pending += c;
    return true;
  }

  /** Not a tag: release what was held as text, exactly as written. */
  private reject(): false {
    this.text += this.pending;
    this.reset();
    return false;
  }

  private openBlock(): void {
    this.openRaw = this.pending;
    this.pending = '';
    this.body = '';
    this.close = closeTag(this.format, this.name);
    this.closeAt = 0;
    this.state = 'block';
  }

  private closeBlock(): void {
    const raw = this.openRaw + this.body + this.close;
    this.emitCall(raw, this.body);
    this.reset();
  }

  /** `body` undefined: self-closing (no content). */
  private emitCall(raw: string, body: string | undefined): void {
    const args = new Map(this.attrs);
    let content: string | undefined;
    if (body !== undefined) {
      if (this.format.arg_style === 'line') {
        const split = splitLineBody(this.format, body);
        for (const [key, value] of split.args) args.set(key, value);
        content = split.content;
      } else {
        content = inlineContent(body);
      }
    }
    const call: CallEvent =
      content === undefined
        ? { type: 'call', name: this.name, args: Object.fromEntries(args), raw }
        : { type: 'call', name: this.name, args: Object.fromEntries(args), content, raw };
    this.flushText();
    this.out.push(call);
  }

  private flushText(): void {
    if (this.text) {
      this.out.push({ type: 'text', text: this.text });
      this.text = '';
    }
  }

  private take(): ParseEvent[] {
    this.flushText();
    const out = this.out;
    this.out = [];
    return out;
  }

  private reset(): void {
    this.state = 'normal';
    this.pending = '';
    this.name = '';
    this.attr = 'space';
    this.attrKey = '';
    this.attrValue = '';
    this.quote = '';
    this.sepAt = 0;
    if (this.attrs.size) this.attrs = new Map();
    this.openRaw = '';
    this.body = '';
    this.close = '';
    this.closeAt = 0;
  }
}

/** Parse a complete text in one go (history, tests); adjacent text is merged. */
export function parseToolCalls(text: string, options: ToolCallParserOptions): ParseEvent[] {
  const parser = new ToolCallParser(options);
  return mergeText([...parser.push(text), ...parser.end()]);
}
