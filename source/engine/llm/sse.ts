/**
 * Server-sent events decoded from text as it arrives (the WHATWG
 * event-stream format): lines end with LF, CR or CRLF, a blank line ends an
 * event, `data:` lines join with LF, `event:` names it, `:` lines are
 * comments, other fields (`id`, `retry`) are ignored. A stream that ends
 * without the blank line still delivers its last event, as the SDKs do.
 */
export interface ServerSentEvent {
  event: string | undefined;
  data: string;
}

export class SseDecoder {
  /** Text after the last line break. */
  private rest = '';
  /** The last text ended with CR: an LF starting the next one belongs to that line break. */
  private afterCR = false;
  private data: string[] = [];
  private event: string | undefined;

  /** The events completed by `text`, appended to `out`. */
  push(text: string, out: ServerSentEvent[]): void {
    if (text === '') return;
    // A CR ends its line at once, so after one nothing is kept and the text starts a line.
    const all = this.rest === '' ? text : this.rest + text;
    let lineStart = this.afterCR && all.charCodeAt(0) === 10 ? 1 : 0;
    this.afterCR = false;
    if (!all.includes('\r')) {
      for (let end = all.indexOf('\n', lineStart); end !== -1; end = all.indexOf('\n', lineStart)) {
        this.line(all.slice(lineStart, end), out);
        lineStart = end + 1;
      }
    } else {
      for (let i = lineStart; i < all.length; i++) {
        const code = all.charCodeAt(i);
        if (code !== 10 && code !== 13) continue;
        this.line(all.slice(lineStart, i), out);
        if (code === 13) {
          if (i + 1 === all.length) this.afterCR = true;
          else if (all.charCodeAt(i + 1) === 10) i++;
        }
        lineStart = i + 1;
      }
    }
    this.rest = lineStart === 0 ? all : all.slice(lineStart);
  }

  /** The stream is over: its last line and event, if unfinished. */
  end(out: ServerSentEvent[]): void {
    if (this.rest !== '') this.line(this.rest, out);
    this.rest = '';
    this.line('', out);
  }

  private line(line: string, out: ServerSentEvent[]): void {
    if (line === '') {
      if (this.data.length > 0 || this.event !== undefined) out.push({ event: this.event, data: this.data.join('\n') });
      this.data = [];
      this.event = undefined;
      return;
    }
    if (line.charCodeAt(0) === 58) return; // ':' a comment
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.charCodeAt(0) === 32) value = value.slice(1);
    if (field === 'data') this.data.push(value);
    else if (field === 'event') this.event = value;
  }
}
