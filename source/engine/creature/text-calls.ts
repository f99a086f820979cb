/**
 * Tool calls written as text (the bracket and xml formats), turned into the
 * same `ToolCallRequest`s native calls are. The parser sees the stream as it
 * arrives, so a call starts the moment its block closes; its arguments are
 * coerced by the tool's JSON Schema and its body fills the tool's content
 * argument.
 */
import type { ToolCallRequest } from '../llm/messages.js';
import type { JsonSchema, ToolSpec } from '../llm/provider.js';
import { toolArguments } from '../parsing/content-arg.js';
import type { ParseEvent } from '../parsing/events.js';
import type { ToolCallFormat } from '../parsing/format.js';
import { ToolCallParser } from '../parsing/parser.js';

export class TextCalls {
  private readonly parser: ToolCallParser;
  private readonly schemas: ReadonlyMap<string, JsonSchema>;
  private count = 0;

  constructor(
    format: ToolCallFormat,
    tools: readonly ToolSpec[],
    private readonly step: number,
    private readonly dispatch: (call: ToolCallRequest) => void,
    private readonly subAgents: ReadonlySet<string> = new Set(),
  ) {
    this.schemas = new Map(tools.map((t) => [t.name, t.parameters]));
    this.parser = new ToolCallParser({ format, known: (name) => this.schemas.has(name) });
  }

  /** Feed streamed text; dispatches completed calls and returns the prose to show. */
  push(chunk: string): string {
    return this.handle(this.parser.push(chunk));
  }

  /** The stream ended: whatever is left (an unclosed block included) is prose. */
  end(): string {
    return this.handle(this.parser.end());
  }

  private handle(events: ParseEvent[]): string {
    let prose = '';
    for (const event of events) {
      if (event.type === 'text') {
        prose += event.text;
        continue;
      }
      const args = toolArguments(event, this.schemas.get(event.name), { subAgent: this.subAgents.has(event.name) });
      // Ids only need to be unique within the turn: the step and a counter make them readable in logs.
      this.dispatch({ id: `text_${this.step}_${++this.count}`, name: event.name, arguments: JSON.stringify(args) });
    }
    return prose;
  }
}
