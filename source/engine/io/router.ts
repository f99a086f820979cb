/**
 * The output router: turns the creature's events into output-module calls.
 *
 *   turn.start  → onProcessingStart
 *   text.delta  → writeStream            (the creature's own rounds only)
 *   turn.end    → flush, write(answer), onProcessingEnd
 *   tool / job / subagent / trigger / compaction events → onActivity(type, event)
 *   every event → onEvent
 *
 * Named outputs get only `write`, with the text of their `[/output_<name>]`
 * blocks; the main modules get the answer with those blocks removed.
 *
 * Every module has its own serial queue: calls reach it in event order, one
 * at a time, and the emitter never waits for it (a slow webhook never stalls
 * the loop or another module). A call that throws becomes a `warning`
 * (`OUTPUT_ERROR`) naming the module; the next calls still go through, and
 * the session and the surface have the answer regardless.
 */
import type { AgentEvent, EventDraft } from '../events.js';
import { splitNamedBlocks } from './named-blocks.js';
import type { OutputContext, OutputEndInfo, OutputModule, OutputTurnInfo } from './output.js';

const ACTIVITY = /^(tool|job|subagent|trigger|compaction)\./;
/** How long `stop()` waits for queued calls before stopping the modules anyway. */
const DEFAULT_DRAIN_MS = 5000;

/** One module and the tail of its call queue. */
class Lane {
  private tail: Promise<void> = Promise.resolve();
  constructor(
    readonly label: string,
    readonly module: OutputModule,
    private readonly fail: (label: string, what: string, error: unknown, quiet: boolean) => void,
  ) {}

  /** Queue a call; `quiet` failures are not reported (a failure while handling an OUTPUT_ERROR warning would loop). */
  call(what: string, fn: (module: OutputModule) => void | Promise<void>, quiet = false): void {
    this.tail = this.tail.then(
      () => fn(this.module),
    ).catch((error: unknown) => this.fail(this.label, what, error, quiet));
  }

  get idle(): Promise<void> {
    return this.tail;
  }
}

export interface RouterOptions {
  /** Emit a warning (as the creature, outside any turn). */
  emit(draft: EventDraft): void;
  drainMs?: number;
}

export class OutputRouter {
  private readonly main: Lane[] = [];
  private readonly named = new Map<string, Lane>();
  private readonly turns = new Map<string, OutputTurnInfo>();
  /** The config's main output is left out while a `replaceDefault` handler is set. */
  private replacing = 0;
  private readonly defaults = new Set<Lane>();
  private started = false;
  private stopped = false;

  constructor(private readonly options: RouterOptions) {}

  /** The configured main output (`output: {type: ...}`). */
  addDefault(module: OutputModule): void {
    const lane = this.lane(`output '${module.kind}'`, module);
    this.defaults.add(lane);
    this.main.push(lane);
  }

  /** A named output the model writes to with `[/output_<name>]` blocks. */
  addNamed(name: string, module: OutputModule): void {
    this.named.set(name, this.lane(`named output '${name}' (${module.kind})`, module));
  }

  get namedOutputs(): string[] {
    return [...this.named.keys()];
  }

  /** Add a main output at run time (`setOutputHandler`). Returns the function that removes it. */
  add(module: OutputModule, label: string, { replaceDefault = false } = {}): () => void {
    const lane = this.lane(label, module);
    this.main.push(lane);
    if (replaceDefault) this.replacing++;
    let removed = false;
    return () => {
      if (removed) return;
      removed = true;
      this.main.splice(this.main.indexOf(lane), 1);
      if (replaceDefault) this.replacing--;
    };
  }

  /** Start every module (once); a module that fails to start is an error naming it. */
  async start(ctx: OutputContext): Promise<void> {
    if (this.started) return;
    this.started = true;
    for (const lane of [...this.main, ...this.named.values()]) {
      try {
        await lane.module.start?.(ctx);
      } catch (error) {
        throw new Error(`${lane.label} could not start: ${(error as Error).message}`, { cause: error });
      }
    }
  }

  /** Modules that show history hear the turns of a resumed session (`onResume`), once, after they started. */
  get wantsHistory(): boolean {
    return [...this.main, ...this.named.values()].some((lane) => typeof lane.module.onResume === 'function');
  }

  resume(events: readonly AgentEvent[]): void {
    for (const lane of [...this.main, ...this.named.values()]) lane.call('onResume', (m) => m.onResume?.(events));
  }

  /** Route one event. Never throws and never waits for a module. */
  readonly handle = (event: AgentEvent): void => {
    if (this.stopped) return;
    // Most creatures have no output module, and every streamed delta passes here: without one only the
    // turn bookkeeping runs (a handler set mid-turn still learns how that turn started).
    if (!this.main.length && !this.named.size && event.type !== 'turn.start' && event.type !== 'turn.end') return;
    const quiet = event.type === 'warning' && event.code === 'OUTPUT_ERROR';
    const mains = this.active();
    const own = event.agentPath.length === 1;
    if (own && event.turnId && event.type === 'turn.start') {
      const info: OutputTurnInfo = { turnId: event.turnId, turnIndex: event.turnIndex, source: event.source, ...(event.origin ? { origin: { kind: event.origin.kind, ...(event.origin.name ? { name: event.origin.name } : {}) } } : {}) };
      this.turns.set(event.turnId, info);
      for (const lane of mains) lane.call('onProcessingStart', (m) => m.onProcessingStart?.(info));
    } else if (own && event.turnId && event.type === 'text.delta') {
      const info = this.turns.get(event.turnId);
      if (info) for (const lane of mains) lane.call('writeStream', (m) => m.writeStream?.(event.text, info));
    } else if (own && event.turnId && event.type === 'turn.end') {
      const started = this.turns.get(event.turnId);
      this.turns.delete(event.turnId);
      const end: OutputEndInfo = { ...(started ?? { turnId: event.turnId, turnIndex: event.turnIndex, source: 'api' }), status: event.status };
      this.endTurn(event.text, end, mains);
    } else if (ACTIVITY.test(event.type)) {
      for (const lane of mains) lane.call('onActivity', (m) => m.onActivity?.(event.type, event));
    }
    for (const lane of mains) lane.call('onEvent', (m) => m.onEvent?.(event), quiet);
  };

  /** Let queued calls finish (at most the drain bound), then stop every module once. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    const lanes = [...new Set([...this.main, ...this.named.values()])];
    let timer: NodeJS.Timeout | undefined;
    const bound = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, this.options.drainMs ?? DEFAULT_DRAIN_MS);
      timer.unref();
    });
    await Promise.race([Promise.all(lanes.map((l) => l.idle)), bound]);
    clearTimeout(timer);
    for (const lane of lanes) {
      try {
        await lane.module.stop?.();
      } catch (error) {
        this.report(lane.label, 'stop', error);
      }
    }
  }

  private endTurn(answer: string, end: OutputEndInfo, mains: Lane[]): void {
    const { main, blocks } = this.named.size ? splitNamedBlocks(answer) : { main: answer, blocks: [] };
    for (const block of blocks) {
      const lane = this.named.get(block.name);
      if (lane) lane.call('write', (m) => m.write?.(block.text, end));
      else this.options.emit({ type: 'warning', code: 'OUTPUT_UNKNOWN', message: `the answer wrote to an output named '${block.name}', which this creature does not have (its named outputs: ${this.namedOutputs.join(', ')})` });
    }
    for (const lane of mains) {
      lane.call('flush', (m) => m.flush?.());
      lane.call('write', (m) => m.write?.(main, end));
      lane.call('onProcessingEnd', (m) => m.onProcessingEnd?.(end));
    }
  }

  private active(): Lane[] {
    return this.replacing > 0 ? this.main.filter((l) => !this.defaults.has(l)) : this.main;
  }

  private lane(label: string, module: OutputModule): Lane {
    return new Lane(label, module, (l, what, error, quiet) => {
      if (!quiet) this.report(l, what, error);
    });
  }

  private report(label: string, what: string, error: unknown): void {
    const message = error instanceof Error ? error.message : String(error);
    this.options.emit({ type: 'warning', code: 'OUTPUT_ERROR', message: `${label} failed in ${what}: ${message}` });
  }
}
