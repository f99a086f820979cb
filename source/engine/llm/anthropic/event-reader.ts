/**
 * Messages API stream events → our stream parts. Events are read as loose
 * JSON, not trusted to match the SDK's types: Anthropic-compatible servers
 * (Kimi, GLM, proxies) omit fields, send block types we do not know, or skip
 * a `content_block_stop`.
 *
 * Text and thinking are yielded as they arrive; a tool call is yielded whole
 * when its block stops (its `input` streams as JSON fragments that only
 * parse once complete); `finish` is produced by `end()`.
 */
import { randomBase64url } from '../../util/random-id.js';
import { describeJsonType, isRecord } from '../../util/records.js';
import type { Usage } from '../messages.js';
import type { LLMStreamPart } from '../provider.js';
import { THINKING_FIELD } from './thinking-fields.js';
import type { WireThinkingLike } from './wire-types.js';

/** Thrown for an event that is not a Messages API event at all; the adapter classes it as `protocol`. */
export class MalformedEventError extends Error {
  constructor(detail: string) {
    super(detail);
    this.name = 'MalformedEventError';
  }
}

type Json = Record<string, unknown>;

type Block =
  | { kind: 'text' }
  | { kind: 'thinking'; thinking: string; signature: string }
  | { kind: 'redacted'; data: string }
  | { kind: 'tool'; id: string; name: string; json: string; input: unknown }
  | { kind: 'other' };

/** The API's stop reasons in our vocabulary (OpenAI's finish reasons); unknown ones pass through. */
const FINISH_REASONS: Readonly<Record<string, string>> = Object.freeze({
  end_turn: 'stop',
  tool_use: 'tool_calls',
  max_tokens: 'length',
});

export class StreamEventReader {
  private readonly blocks = new Map<number, Block>();
  /** Finished thinking blocks by content index, to be sent back in order. */
  private readonly thinking: Array<{ index: number; block: WireThinkingLike }> = [];
  private stopReason: string | undefined;
  private counts: { input: number; cacheRead: number; cacheWrite: number; output: number } | undefined;
  private calls = 0;
  /** The block most recently started: where events without an `index` belong. */
  private current = -1;
  private started = false;
  private stopped = false;

  /** Whether `message_start` arrived: without it the server is not speaking this API. */
  get sawStart(): boolean {
    return this.started;
  }

  /** Whether the message ended properly (`message_stop`, or at least a stop reason). */
  get complete(): boolean {
    return this.stopped || this.stopReason !== undefined;
  }

  read(event: unknown): LLMStreamPart[] {
    if (!isRecord(event)) throw new MalformedEventError(`expected a JSON object, got ${describeJsonType(event)}`);
    const type = event['type'];
    if (typeof type !== 'string') throw new MalformedEventError('an event has no type');
    switch (type) {
      case 'message_start':
        this.started = true;
        this.takeUsage(isRecord(event['message']) ? event['message']['usage'] : undefined);
        return [];
      case 'content_block_start':
        return this.startBlock(event);
      case 'content_block_delta':
        return this.delta(event);
      case 'content_block_stop':
        return this.stopBlock(indexOf(event, this.current));
      case 'message_delta': {
        const delta = isRecord(event['delta']) ? event['delta'] : {};
        if (typeof delta['stop_reason'] === 'string') this.stopReason = delta['stop_reason'];
        this.takeUsage(event['usage']);
        return [];
      }
      case 'message_stop':
        this.stopped = true;
        return [];
      default:
        // `ping` and event types added after this was written.
        return [];
    }
  }

  /**
   * Tool calls whose block never stopped, then the single `finish`. Thinking
   * blocks ride along in `providerFields` so the next request can send them back.
   */
  end(): LLMStreamPart[] {
    const parts: LLMStreamPart[] = [];
    for (const index of [...this.blocks.keys()].sort((a, b) => a - b)) parts.push(...this.stopBlock(index));
    const stop = this.stopReason ?? (this.calls > 0 ? 'tool_use' : 'end_turn');
    const finish: Extract<LLMStreamPart, { type: 'finish' }> = { type: 'finish', finishReason: FINISH_REASONS[stop] ?? stop };
    const usage = this.usage();
    if (usage) finish.usage = usage;
    if (this.thinking.length > 0) {
      const blocks = this.thinking.sort((a, b) => a.index - b.index).map((t) => t.block);
      finish.providerFields = { [THINKING_FIELD]: blocks };
    }
    parts.push(finish);
    return parts;
  }

  private startBlock(event: Json): LLMStreamPart[] {
    const index = indexOf(event, this.current + 1);
    this.current = index;
    const block = isRecord(event['content_block']) ? event['content_block'] : {};
    switch (block['type']) {
      case 'text': {
        this.blocks.set(index, { kind: 'text' });
        const text = stringOf(block['text']);
        return text ? [{ type: 'text', text }] : [];
      }
      case 'thinking': {
        const thinking = stringOf(block['thinking']);
        this.blocks.set(index, { kind: 'thinking', thinking, signature: stringOf(block['signature']) });
        return thinking ? [{ type: 'reasoning', text: thinking }] : [];
      }
      case 'redacted_thinking':
        this.blocks.set(index, { kind: 'redacted', data: stringOf(block['data']) });
        return [];
      case 'tool_use':
        this.blocks.set(index, {
          kind: 'tool',
          id: stringOf(block['id']) || generateToolUseId(),
          name: stringOf(block['name']),
          json: '',
          input: block['input'],
        });
        return [];
      default:
        // Server-tool blocks and the like: the API runs those itself, nothing for us to do.
        this.blocks.set(index, { kind: 'other' });
        return [];
    }
  }

  private delta(event: Json): LLMStreamPart[] {
    const block = this.blocks.get(indexOf(event, this.current));
    const delta = isRecord(event['delta']) ? event['delta'] : {};
    switch (delta['type']) {
      case 'text_delta': {
        const text = stringOf(delta['text']);
        return text ? [{ type: 'text', text }] : [];
      }
      case 'thinking_delta': {
        const text = stringOf(delta['thinking']);
        if (block?.kind === 'thinking') block.thinking += text;
        return text ? [{ type: 'reasoning', text }] : [];
      }
      case 'signature_delta':
        if (block?.kind === 'thinking') block.signature += stringOf(delta['signature']);
        return [];
      case 'input_json_delta':
        if (block?.kind === 'tool') block.json += stringOf(delta['partial_json']);
        return [];
      default:
        return [];
    }
  }

  private stopBlock(index: number): LLMStreamPart[] {
    const block = this.blocks.get(index);
    this.blocks.delete(index);
    if (!block) return [];
    if (block.kind === 'thinking') {
      this.thinking.push({ index, block: { type: 'thinking', thinking: block.thinking, signature: block.signature } });
    } else if (block.kind === 'redacted') {
      this.thinking.push({ index, block: { type: 'redacted_thinking', data: block.data } });
    } else if (block.kind === 'tool') {
      this.calls++;
      return [{ type: 'tool_call', call: { id: block.id, name: block.name, arguments: argumentsOf(block) } }];
    }
    return [];
  }

  /** Later events carry cumulative counts; a field they leave out (or null) keeps its earlier value. */
  private takeUsage(raw: unknown): void {
    if (!isRecord(raw)) return;
    const prev = this.counts ?? { input: 0, cacheRead: 0, cacheWrite: 0, output: 0 };
    this.counts = {
      input: count(raw['input_tokens'], prev.input),
      cacheRead: count(raw['cache_read_input_tokens'], prev.cacheRead),
      cacheWrite: count(raw['cache_creation_input_tokens'], prev.cacheWrite),
      output: count(raw['output_tokens'], prev.output),
    };
  }

  /** Our convention: `input` counts every prompt token; the API reports cache reads and writes apart from it. */
  private usage(): Usage | undefined {
    const c = this.counts;
    if (!c) return undefined;
    return { input: c.input + c.cacheRead + c.cacheWrite, output: c.output, cached: c.cacheRead };
  }
}

/**
 * The streamed JSON text; with no fragments, the start block's `input`
 * (some servers send the whole object there). Always parseable as an object
 * when nothing was sent: `{}`.
 */
function argumentsOf(block: Extract<Block, { kind: 'tool' }>): string {
  if (block.json.trim() !== '') return block.json;
  if (isRecord(block.input) && Object.keys(block.input).length > 0) return JSON.stringify(block.input);
  return '{}';
}

/** A fresh id in the API's shape, for servers that send none. */
function generateToolUseId(): string {
  return `toolu_${randomBase64url(12)}`;
}

function indexOf(event: Json, fallback: number): number {
  const index = event['index'];
  return typeof index === 'number' && Number.isInteger(index) ? index : fallback;
}

function stringOf(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function count(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}
