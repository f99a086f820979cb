/**
 * What the streaming parser hands out. Text is prose to show (and to keep in
 * the assistant message); a call is a complete block, emitted the moment its
 * close tag arrives so the tool can start while the model is still writing.
 */

export interface TextEvent {
  type: 'text';
  text: string;
}

export interface CallEvent {
  type: 'call';
  /** A name the `known` predicate accepted. */
  name: string;
  /**
   * Arguments exactly as written (strings; see `coerceArgs`): `@@key=value`
   * lines for line-style formats, attributes for inline ones. A repeated key
   * keeps its last value.
   */
  args: Record<string, string>;
  /**
   * The body after the argument lines, with one leading and one trailing
   * newline removed (`\n` or `\r\n`). Absent only for a self-closing call
   * (`<name/>`); an empty block gives `''`. See `contentArgFor` for the
   * argument it fills.
   */
  content?: string;
  /** The exact source text of the call, open tag through close tag. */
  raw: string;
}

export type ParseEvent = TextEvent | CallEvent;

/** Join adjacent text events (the parser only merges within one `push`). */
export function mergeText(events: Iterable<ParseEvent>): ParseEvent[] {
  const out: ParseEvent[] = [];
  for (const event of events) {
    const last = out[out.length - 1];
    if (event.type === 'text' && last?.type === 'text') out[out.length - 1] = { type: 'text', text: last.text + event.text };
    else if (event.type !== 'text' || event.text) out.push(event);
  }
  return out;
}
