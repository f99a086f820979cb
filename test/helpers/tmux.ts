/**
 * Drive a real terminal: run a command in a detached tmux session, type into
 * it, and read what the screen shows. For the parts of kt that only behave
 * as they should on a TTY (hidden input now, the Ink UI later).
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { GATE_TIMEOUT_MS } from './until.js';

export function hasTmux(): boolean {
  try {
    execFileSync('tmux', ['-V'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Terminal tests need tmux; fail loudly (not skip) without it, so CI cannot pass them by accident. */
export function requireTmux(): void {
  if (!hasTmux()) throw new Error('tmux is required for terminal tests (.ci/run installs it)');
}

export class TmuxSession {
  readonly name = `kt-test-${randomBytes(4).toString('hex')}`;

  /** Start `command` (a shell command line) in a `width`×`height` terminal. */
  constructor(command: string, env: Record<string, string>, { width = 120, height = 30 } = {}) {
    const exports = Object.entries(env)
      .map(([k, v]) => `${k}=${shellQuote(v)}`)
      .join(' ');
    // The pane outlives the command (close() ends it), so a test on a slow machine can still read the last screen.
    execFileSync('tmux', ['new-session', '-d', '-s', this.name, '-x', String(width), '-y', String(height), `env -i ${exports} ${command}; sleep 3600`]);
  }

  /** Type text; `enter` presses Enter after it. */
  type(text: string, enter = false): void {
    execFileSync('tmux', ['send-keys', '-t', this.name, '-l', text]);
    if (enter) execFileSync('tmux', ['send-keys', '-t', this.name, 'Enter']);
  }

  /** Press keys by tmux name: `Escape`, `C-d`, `C-c`, `Up`, `S-Enter`... */
  keys(...names: string[]): void {
    execFileSync('tmux', ['send-keys', '-t', this.name, ...names]);
  }

  /** Paste text the way a terminal does with bracketed paste on (tmux wraps it when the program asked for it). */
  paste(text: string): void {
    execFileSync('tmux', ['set-buffer', '-b', this.name, text]);
    execFileSync('tmux', ['paste-buffer', '-p', '-d', '-b', this.name, '-t', this.name]);
  }

  resize(width: number, height: number): void {
    execFileSync('tmux', ['resize-window', '-t', this.name, '-x', String(width), '-y', String(height)]);
  }

  /** Send a signal to the processes named `names` below the pane's shell (kt shows as `MainThread` or `node` until meow retitles it `kt`). */
  signal(names: string | string[], signal: NodeJS.Signals): void {
    const wanted = new Set(Array.isArray(names) ? names : [names]);
    const children = (pid: string): string[] => {
      try {
        return execFileSync('pgrep', ['-P', pid], { encoding: 'utf8' }).trim().split('\n').filter(Boolean);
      } catch {
        return []; // pgrep exits 1 when there are none
      }
    };
    const shell = execFileSync('tmux', ['display', '-p', '-t', this.name, '#{pane_pid}'], { encoding: 'utf8' }).trim();
    const queue = children(shell);
    while (queue.length) {
      const pid = queue.shift()!;
      const comm = execFileSync('ps', ['-o', 'comm=', '-p', pid], { encoding: 'utf8' }).trim();
      if (wanted.has(comm)) process.kill(Number(pid), signal);
      else queue.push(...children(pid));
    }
  }

  /** What the terminal shows now. */
  screen({ escapes = false }: { escapes?: boolean } = {}): string {
    return execFileSync('tmux', ['capture-pane', '-p', ...(escapes ? ['-e'] : []), '-t', this.name], { encoding: 'utf8' });
  }

  /**
   * Wait until the screen matches, or fail with what it showed. A gate, not a sleep: it returns on the
   * first matching screen, and the deadline is long so only a stuck program fails it, never a slow one.
   * Wait for the whole of what the test then asserts on: a screen caught halfway (a line printed, the
   * next not yet) matches a short pattern too early.
   */
  async waitFor(pattern: RegExp | ((screen: string) => boolean), timeoutMs = GATE_TIMEOUT_MS): Promise<string> {
    const end = Date.now() + timeoutMs;
    const matches = typeof pattern === 'function' ? pattern : (screen: string) => pattern.test(screen);
    for (;;) {
      const shown = this.screen();
      if (matches(shown)) return shown;
      if (Date.now() > end) throw new Error(`screen never matched ${pattern}:\n${shown}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  close(): void {
    try {
      execFileSync('tmux', ['kill-session', '-t', this.name], { stdio: 'ignore' });
    } catch {
      // already gone
    }
  }
}

function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}
