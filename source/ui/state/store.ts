/**
 * The view model as an external store for React (`useSyncExternalStore`).
 * Events are folded in as they arrive; subscribers are told at most once per
 * frame, so a model streaming hundreds of deltas a second costs one render
 * per frame, not one per delta.
 */
import type { AgentEvent } from '../../index.js';
import { reduceView, type ReduceOptions } from './reduce.js';
import type { ViewState } from './view.js';

export class ViewStore {
  private state: ViewState;
  private readonly listeners = new Set<() => void>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    initial: ViewState,
    private readonly options: ReduceOptions & { frameMs: number },
  ) {
    this.state = initial;
  }

  readonly getState = (): ViewState => this.state;

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  readonly dispatch = (event: AgentEvent): void => {
    this.state = reduceView(this.state, event, this.options);
    this.schedule();
  };

  /** Apply a local change (a `/clear`, a resize) through the same notification path. */
  update(change: (state: ViewState) => ViewState): void {
    this.state = change(this.state);
    this.schedule();
  }

  /** The live region's line budget follows the terminal's height. */
  setMaxLiveLines(lines: number): void {
    this.options.maxLiveLines = Math.max(4, lines);
  }

  /** Tell subscribers now (tests, and before exit so the last frame is complete). */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    for (const listener of this.listeners) listener();
  }

  /**
   * Tell subscribers now if a frame is pending, else do nothing. A keypress calls it: its frame
   * (drawn at once) then carries the answer streamed so far, and the stream's next frame comes a
   * full frame later instead of right after it: one frame for both, not two.
   */
  flushPending(): void {
    if (this.timer) this.flush();
  }

  private schedule(): void {
    if (this.options.frameMs <= 0) return this.flush();
    this.timer ??= setTimeout(() => this.flush(), this.options.frameMs);
  }
}
