/**
 * Getting the person back when kt needs them and they looked away: a
 * desktop notification (OSC 9, shown by iTerm2, WezTerm, Ghostty, Windows
 * Terminal) or the terminal bell (BEL, which tmux and most terminals turn
 * into a flag or a sound) when
 *
 * - a turn that took at least `afterSeconds` ends, and
 * - an approval or a question waits: at once when the terminal reported
 *   losing focus, after `afterSeconds` unanswered when it reports nothing.
 *
 * Focus comes from the terminal's focus reports (`ESC [ ? 1004 h` turns them
 * on; it then sends `ESC [ I` / `ESC [ O`). While it says the window has
 * focus nothing is sent: the person is looking.
 */
import type { NotifyChannel } from '../../builtins/permissions/project-settings.js';
import type { AgentEvent } from '../../index.js';
import { formatDuration } from '../format.js';

export type { NotifyChannel };

export interface AttentionSettings {
  channel: NotifyChannel;
  afterSeconds: number;
}

export const DEFAULT_ATTENTION: AttentionSettings = { channel: 'auto', afterSeconds: 10 };

export const FOCUS_REPORTS_ON = '\u001b[?1004h';
export const FOCUS_REPORTS_OFF = '\u001b[?1004l';
const FOCUS_IN = '\u001b[I';
const FOCUS_OUT = '\u001b[O';

/**
 * `auto`: OSC 9 where the terminal shows it as a notification, the bell
 * elsewhere (inside tmux or screen the escape would not reach the terminal).
 */
export function resolveChannel(channel: NotifyChannel, env: NodeJS.ProcessEnv): 'bell' | 'osc9' | 'off' {
  if (channel !== 'auto') return channel;
  if (env['TMUX'] || env['STY']) return 'bell';
  const program = env['TERM_PROGRAM'] ?? '';
  if (['iTerm.app', 'WezTerm', 'ghostty'].includes(program) || env['WT_SESSION']) return 'osc9';
  return 'bell';
}

/** The bytes that raise `message` on `channel`. */
export function notificationBytes(channel: 'bell' | 'osc9' | 'off', message: string): string {
  if (channel === 'off') return '';
  // Control characters inside an OSC would end it early or be shown raw.
  if (channel === 'osc9') return `\u001b]9;${message.replace(/[\u0000-\u001f\u007f]/g, ' ')}\u0007`;
  return '\u0007';
}

/** The focus state a chunk of input reports last, or undefined when it reports none. */
export function focusIn(chunk: string): boolean | undefined {
  const lastIn = chunk.lastIndexOf(FOCUS_IN);
  const lastOut = chunk.lastIndexOf(FOCUS_OUT);
  if (lastIn < 0 && lastOut < 0) return undefined;
  return lastIn > lastOut;
}

export interface AttentionDeps {
  write(bytes: string): void;
  env?: NodeJS.ProcessEnv;
  /** Run `fn` after `ms`; returns a cancel. Tests pass a manual clock. */
  schedule?(fn: () => void, ms: number): () => void;
}

const realSchedule = (fn: () => void, ms: number): (() => void) => {
  const timer = setTimeout(fn, ms);
  timer.unref();
  return () => clearTimeout(timer);
};

export class Attention {
  /** Undefined until the terminal reports focus (it may never: then time decides). */
  private focused: boolean | undefined;
  private readonly waiting = new Map<string, () => void>();
  private readonly channel: 'bell' | 'osc9' | 'off';
  private readonly schedule: (fn: () => void, ms: number) => () => void;

  constructor(
    private readonly settings: AttentionSettings,
    private readonly creature: () => string,
    private readonly deps: AttentionDeps,
  ) {
    this.channel = resolveChannel(settings.channel, deps.env ?? process.env);
    this.schedule = deps.schedule ?? realSchedule;
  }

  /** Feed raw terminal input; focus reports in it update the state. */
  input(chunk: string): void {
    const focus = focusIn(chunk);
    if (focus !== undefined) this.focused = focus;
  }

  handle(event: AgentEvent): void {
    if (this.channel === 'off') return;
    if (event.type === 'turn.end' && event.agentPath.length === 1) {
      if (event.durationMs >= this.settings.afterSeconds * 1000 && this.focused !== true) {
        const how = event.status === 'completed' ? 'finished' : event.status;
        this.notify(`${this.creature()} ${how} (${formatDuration(event.durationMs)})`);
      }
    } else if (event.type === 'interaction.request' && (event.kind === 'approval' || event.kind === 'ask')) {
      const tool = typeof event.payload['tool'] === 'string' ? event.payload['tool'] : undefined;
      const message = event.kind === 'approval' ? `${this.creature()} needs your approval${tool ? ` for ${tool}` : ''}` : `${this.creature()} has a question for you`;
      if (this.focused === false) this.notify(message);
      else if (this.focused === undefined) {
        this.waiting.set(
          event.id,
          this.schedule(() => {
            this.waiting.delete(event.id);
            if (this.focused !== true) this.notify(message);
          }, this.settings.afterSeconds * 1000),
        );
      }
    } else if (event.type === 'interaction.reply') {
      this.waiting.get(event.id)?.();
      this.waiting.delete(event.id);
    }
  }

  dispose(): void {
    for (const cancel of this.waiting.values()) cancel();
    this.waiting.clear();
  }

  private notify(message: string): void {
    this.deps.write(notificationBytes(this.channel, `kt: ${message}`));
  }
}
