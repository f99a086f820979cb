/**
 * Server-sent events decoded from text as it arrives, by eventsource-parser
 * (the WHATWG event-stream format: any line end, `data:` lines joined, `:`
 * comments skipped). The interface is batch-shaped: each `push` appends the
 * events its text completes to the caller's array, so a read of several
 * events costs one call. A stream that ends without the final blank line
 * still delivers its last event, as the SDKs do.
 */
import { createParser, type EventSourceParser } from 'eventsource-parser';

export interface ServerSentEvent {
  event: string | undefined;
  data: string;
}

export class SseDecoder {
  /** Where the parser's callback puts events: the array of the current push. */
  private out: ServerSentEvent[] = [];
  private readonly parser: EventSourceParser = createParser({
    onEvent: (message) => this.out.push({ event: message.event, data: message.data }),
  });

  /** The events completed by `text`, appended to `out`. */
  push(text: string, out: ServerSentEvent[]): void {
    this.out = out;
    this.parser.feed(text);
  }

  /**
   * The stream is over: its last event, if unfinished. The parser keeps an
   * event without its closing blank line (the format drops it at the end of
   * a stream), so the missing line ends are given; a line end already seen
   * plus these makes at most one more blank line, which dispatches nothing.
   */
  end(out: ServerSentEvent[]): void {
    this.out = out;
    this.parser.feed('\n\n');
    this.parser.reset();
  }
}
