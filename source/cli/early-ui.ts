/**
 * `kt run` and `kt resume` at a terminal draw the app before the engine has
 * loaded: the flags are scanned here (no parser, no engine) for anything that
 * would make the run scripted; if there is none, the UI module loads and
 * renders while the command loads the engine and builds the creature, which
 * is then attached. A run the scan cannot vouch for simply starts the usual
 * way, and a command that finds the scan guessed wrong takes the app down.
 */
// The approval modes come from a leaf module with no imports, so this stays light.
import { APPROVAL_MODES, type ApprovalMode } from '../engine/tools/approval.js';
import type { InteractiveApp } from '../ui/cli/run.js';
import { loadTerminalApp } from './terminal-app.js';

/** Flags that make a run scripted (or not a run at all): the app is not drawn early. */
const NOT_INTERACTIVE = new Set(['-p', '--prompt', '-h', '--help', '--list']);
/**
 * Flags that take a value (CONVERSE_FLAGS, and `kt run`'s own): what follows them is not the
 * session's name. `kt run -r <session>` and `-c` continue a session as `kt resume` does, which
 * draws early too.
 */
const TAKES_VALUE = new Set(['--llm', '--pwd', '--max-turns', '--timeout', '--mode', '--output-format', '--input-format', '--add-dir', '--approval-mode', '--plugin', '--session', '-r', '--resume', '--add', '--channel']);

interface Scan {
  mode: 'cli' | 'tui';
  approvalMode: ApprovalMode;
  /** `--verbose`: full tool output from the start. */
  expanded: boolean;
  /** Arguments that are not flags or their values (`kt resume <session>`). */
  positional: number;
  last: boolean;
}

function scan(argv: readonly string[]): Scan | undefined {
  const found: Scan = { mode: 'cli', approvalMode: 'default', expanded: false, positional: 0, last: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const equals = arg.indexOf('=');
    const flag = arg.startsWith('--') && equals > 0 ? arg.slice(0, equals) : arg;
    const value = () => (equals > 0 && arg.startsWith('--') ? arg.slice(equals + 1) : argv[++i]);
    if (NOT_INTERACTIVE.has(flag)) return undefined;
    if (flag === '--output-format' || flag === '--input-format') {
      if (value() !== 'text') return undefined;
    } else if (flag === '--mode') {
      const chosen = value();
      if (chosen !== 'cli' && chosen !== 'tui') return undefined;
      found.mode = chosen;
    } else if (flag === '--approval-mode') {
      const chosen = value();
      if (!(APPROVAL_MODES as readonly string[]).includes(chosen ?? '')) return undefined;
      found.approvalMode = chosen as ApprovalMode;
    } else if (TAKES_VALUE.has(flag)) {
      value();
    } else if (flag === '--verbose') {
      found.expanded = true;
    } else if (flag === '--last') {
      found.last = true;
    } else if (!arg.startsWith('-')) {
      found.positional++;
    }
  }
  return found;
}

function atTerminal(): boolean {
  return Boolean(process.stdin.isTTY && process.stdout.isTTY) && process.env.TERM !== 'dumb';
}

function draw(found: Scan): Promise<InteractiveApp> {
  const app = loadTerminalApp().then((ui) => ui.startInteractive({ mode: found.mode, approvalMode: found.approvalMode, expanded: found.expanded }));
  // Awaited by the command; a failure there must not also surface as an unhandled rejection.
  app.catch(() => undefined);
  return app;
}

/** `kt run [<creature>] [flags]`. */
export function startEarlyApp(argv: readonly string[]): Promise<InteractiveApp> | undefined {
  if (!atTerminal()) return undefined;
  const found = scan(argv);
  return found && draw(found);
}

/**
 * `kt resume <session>` or `kt resume --last`: without either, the session
 * picker asks on the terminal first, so the app is not drawn early. A
 * session last used full screen comes back in tui mode (unless --mode says
 * otherwise); the command then swaps the early cli frame for it.
 */
export function startEarlyResume(argv: readonly string[]): Promise<InteractiveApp> | undefined {
  if (!atTerminal()) return undefined;
  const found = scan(argv);
  if (!found || (found.positional === 0 && !found.last)) return undefined;
  return draw(found);
}
