/**
 * Plain mode: the creature's events as lines of text, for pipes, scripts
 * and CI. The answer streams to stdout; tool activity, retries and warnings
 * go to stderr, so `kt run ... > answer.txt` captures only the answer.
 * Colour only when the stream is a terminal and NO_COLOR is unset; never
 * imports Ink.
 */
import { styleText } from 'node:util';
import type { AgentEvent } from '../../engine/events.js';
import type { TurnResult } from '../../engine/creature/turn-result.js';
import { cardOf, cardText } from '../card.js';
import { firstLine, formatDuration, formatTokens, summarizeArgs } from '../format.js';
import { inputText } from '../state/reduce.js';
import { missedText, originLabel, startedByTrigger } from '../state/triggers.js';

export type OutputFormat = 'text' | 'json' | 'stream-json';

export interface PlainRendererOptions {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  format: OutputFormat;
  verbose: boolean;
  /** The session the run is saved in, named in every result so a script can `kt resume` it. */
  session?: { name: string; path: string } | undefined;
}

type Style = Parameters<typeof styleText>[0];

export class PlainRenderer {
  /** Whether stdout's last character was a newline (or nothing was written). */
  private atLineStart = true;
  /** Text was written in the current step. */
  private wroteText = false;
  /**
   * stream-json: the last turn's result line, held back until the next turn
   * starts or the run ends, so that the result is the last line a reader
   * sees (events such as creature.stop come after the turn ends).
   */
  private heldResult: string | undefined;

  constructor(private readonly options: PlainRendererOptions) {}

  /** Feed every event of the creature here. */
  handle = (event: AgentEvent): void => {
    const { format } = this.options;
    if (format === 'stream-json') {
      if (event.type === 'turn.start') this.finish();
      this.options.stdout.write(`${JSON.stringify(event)}\n`);
      return;
    }
    switch (event.type) {
      case 'text.delta':
        if (format === 'text') this.writeText(event.text);
        break;
      case 'step.start':
        if (this.wroteText) this.endParagraph();
        this.wroteText = false;
        break;
      case 'tool.call':
        if (format === 'text') {
          this.endLine();
          this.info(`${this.paint('cyan', '→')} ${event.name} ${this.paint('dim', summarizeArgs(event.args))}`.trimEnd());
        }
        break;
      case 'tool.result':
        if (format === 'text' || this.options.verbose) this.toolResult(event);
        break;
      case 'llm.retry':
        this.info(
          this.paint(
            'yellow',
            `kt: ${event.errorClass}${event.status ? ` (${event.status})` : ''}: ${event.message}; retry ${event.attempt}/${event.maxRetries} in ${formatDuration(event.delayMs)}`,
          ),
        );
        if (event.discardedChars && format === 'text') this.info(this.paint('dim', 'kt: the partial answer above is discarded'));
        break;
      case 'warning':
        this.info(this.paint('yellow', `kt: warning: ${event.message}`));
        break;
      case 'turn.start':
        // A turn nobody typed: say what started it, so its answer on stdout is not a mystery.
        if (event.agentPath.length === 1 && startedByTrigger(event.source, event.origin)) {
          this.endLine();
          this.info(`${this.paint('magenta', originLabel(event.origin, event.source))} ${this.paint('dim', firstLine(inputText(event.input), 100))}`.trimEnd());
        }
        break;
      case 'trigger.missed':
        this.info(this.paint('yellow', `kt: ${missedText(event)}`));
        break;
      case 'trigger.added':
        if (this.options.verbose) this.info(this.paint('dim', `kt: trigger ${event.triggerId} (${event.kind} '${event.name}', from ${event.origin}) ${event.description}`.trimEnd()));
        break;
      case 'trigger.removed':
        if (this.options.verbose || event.reason.startsWith('failed')) this.info(this.paint(event.reason.startsWith('failed') ? 'yellow' : 'dim', `kt: trigger ${event.triggerId} (${event.kind} '${event.name}') ${event.reason}`));
        break;
      case 'creature.start':
        if (this.options.verbose) this.info(this.paint('dim', `kt: ${event.name} on ${event.model} in ${event.cwd}; tools: ${event.tools.join(', ') || '(none)'}`));
        break;
      case 'step.end':
        if (this.options.verbose) {
          const t = event.timings;
          const u = event.usage;
          this.info(
            this.paint(
              'dim',
              `kt: step ${event.step} ${event.finishReason}: ttft ${t.ttftMs === null ? '-' : formatDuration(t.ttftMs)}, model ${formatDuration(t.modelMs)}, tools ${formatDuration(t.toolsMs)}, overhead ${t.overheadMs.toFixed(2)}ms; tokens ↑${formatTokens(u.input)} ↓${formatTokens(u.output)} cached ${formatTokens(u.cached)}`,
            ),
          );
        }
        break;
      default:
        break;
    }
  };

  /** Close the turn's output: a final newline (text) or the result object (json). */
  endTurn(result: TurnResult): void {
    const { format, stdout, session } = this.options;
    const named = session ? { ...result, sessionName: session.name, sessionPath: session.path } : result;
    if (format === 'json') stdout.write(`${JSON.stringify(named)}\n`);
    else if (format === 'stream-json') {
      this.finish();
      this.heldResult = `${JSON.stringify({ type: 'result', ...named })}\n`;
    } else this.endLine();
    this.wroteText = false;
  }

  /** The run is over (or a new turn starts): write the result held back (stream-json). */
  finish(): void {
    if (this.heldResult === undefined) return;
    this.options.stdout.write(this.heldResult);
    this.heldResult = undefined;
  }

  private toolResult(event: Extract<AgentEvent, { type: 'tool.result' }>): void {
    const time = this.paint('dim', `(${formatDuration(event.durationMs)})`);
    if (event.isError) {
      this.info(`${this.paint('red', '✗')} ${event.name} ${time}: ${this.paint('red', firstLine(event.output))}`);
    } else {
      this.info(`${this.paint('green', '✓')} ${event.name} ${time}`);
      // A card is for the person watching: shown whole, beside the tool lines (stdout stays the answer).
      const card = cardOf(event.metadata);
      if (card) for (const line of cardText(card)) this.info(line);
    }
    if (this.options.verbose) {
      const body = event.output.length > 2000 ? `${event.output.slice(0, 2000)}\n… (${event.output.length - 2000} more chars)` : event.output;
      this.info(this.paint('dim', body.replace(/^/gm, '    ')));
    }
  }

  private writeText(text: string): void {
    if (!text) return;
    this.options.stdout.write(text);
    this.atLineStart = text.endsWith('\n');
    this.wroteText = true;
  }

  private endLine(): void {
    if (!this.atLineStart) {
      this.options.stdout.write('\n');
      this.atLineStart = true;
    }
  }

  private endParagraph(): void {
    this.endLine();
    this.options.stdout.write('\n');
  }

  private info(line: string): void {
    this.options.stderr.write(`${line}\n`);
  }

  private paint(style: Style, text: string): string {
    return styleText(style, text, { stream: this.options.stderr as NodeJS.WriteStream });
  }
}
