/**
 * `kt run` at a terminal draws the app before the engine has loaded: the
 * flags are scanned here (no parser, no engine) for anything that would make
 * the run scripted; if there is none, the UI module loads and renders while
 * the run command loads the engine and builds the creature, which is then
 * attached. A run the scan cannot vouch for simply starts the usual way.
 */
// The approval modes come from a leaf module with no imports, so this stays light.
import { APPROVAL_MODES, type ApprovalMode } from '../engine/tools/approval.js';
import type { InteractiveApp } from '../ui/cli/run.js';
import { loadTerminalApp } from './terminal-app.js';

/** Flags that make a run scripted (or not a run at all): the app is not drawn early. */
const NOT_INTERACTIVE = new Set(['-p', '--prompt', '-h', '--help', '-c', '--continue', '-r', '--resume']);

export function startEarlyApp(argv: readonly string[]): Promise<InteractiveApp> | undefined {
  if (!process.stdin.isTTY || !process.stdout.isTTY || process.env.TERM === 'dumb') return undefined;
  let mode: 'cli' | 'tui' = 'cli';
  let approvalMode: ApprovalMode = 'default';
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
      mode = chosen;
    } else if (flag === '--approval-mode') {
      const chosen = value();
      if (!(APPROVAL_MODES as readonly string[]).includes(chosen ?? '')) return undefined;
      approvalMode = chosen as ApprovalMode;
    }
  }
  const app = loadTerminalApp().then((ui) => ui.startInteractive({ mode, approvalMode }));
  // Awaited by the run command; a failure there must not also surface as an unhandled rejection.
  app.catch(() => undefined);
  return app;
}
