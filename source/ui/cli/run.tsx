/**
 * Entry of the interactive modes (loaded only when one is chosen, so plain
 * runs never load React or Ink). Builds the view store from the creature's
 * events, renders the app, and restores the terminal on every way out.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { render } from 'ink';
import { configHome, type Agent, type ApprovalMode, type TurnRecord } from '../../index.js';
import type { TextRenderer } from '../components/render-context.js';
import { loadKeymap, PromptHistory } from '../input/index.js';
import { findSafeSplitPoint, loadMarkdown, markdownRenderer, renderDiff } from '../markdown/index.js';
import { withHistory } from '../state/history-items.js';
import { addItem } from '../state/reduce.js';
import { ViewStore } from '../state/store.js';
import { initialView } from '../state/view.js';
import { TuiApp } from '../tui/app.js';
import { App } from './app.js';

export interface InteractiveOptions {
  /** `cli` (inline, the terminal keeps the scrollback) or `tui` (full screen, panes). */
  mode?: 'cli' | 'tui';
  /** When to ask before edits and commands (default: both). */
  approvalMode?: ApprovalMode;
  /** Turns of a resumed session, painted before the prompt appears. */
  history?: readonly TurnRecord[];
  stdin?: NodeJS.ReadStream;
  stdout?: NodeJS.WriteStream;
}

/** Lines kept for the prompt box, footer and margins when sizing the live region. */
const CHROME_LINES = 8;
/** Sequences that put a terminal back as we found it, written on any exit: paste mode off, cursor shown. */
const RESTORE = '\u001b[?2004l\u001b[?25h';
/** tui mode also leaves the alternate screen and stops mouse reporting. */
const MOUSE_OFF = '\u001b[?1000l\u001b[?1006l';
const RESTORE_TUI = `${MOUSE_OFF}\u001b[?1049l`;
const MOUSE_ON = '\u001b[?1000h\u001b[?1006h';

export async function runInteractive(agent: Agent, options: InteractiveOptions = {}): Promise<void> {
  const stdout = options.stdout ?? process.stdout;
  const stdin = options.stdin ?? process.stdin;
  const color = !process.env.NO_COLOR && Boolean(stdout.isTTY);
  // The first frame does not wait for the markdown libraries unless there is history to paint with them.
  const markdownReady = loadMarkdown();
  if (options.history?.length) await markdownReady;
  const renderer: TextRenderer = {
    color,
    markdown: (text, width) => markdownRenderer()?.renderMarkdown(text, { width, color }) ?? text,
    diff: (patch, width, maxLines) => renderDiff(patch, { width, color, maxLines }),
  };
  const store = new ViewStore(initialView({ model: agent.model, creature: agent.name, ...(agent.maxContext ? { maxContext: agent.maxContext } : {}) }), {
    safeSplit: findSafeSplitPoint,
    maxLiveLines: (stdout.rows ?? 24) - CHROME_LINES,
    frameMs: 33,
  });
  if (options.history?.length) store.update((s) => withHistory(s, options.history!));
  const keymap = loadKeymap(join(configHome(), 'keybindings.json'));
  for (const warning of keymap.warnings) store.update((s) => addItem(s, { kind: 'info', tone: 'warning', text: warning }));
  const history = new PromptHistory(join(configHome(), 'history', `${createHash('sha1').update(agent.cwd).digest('hex').slice(0, 16)}.jsonl`));
  history.load();
  const unsubscribe = agent.on(store.dispatch);
  const onResize = () => store.setMaxLiveLines((stdout.rows ?? 24) - CHROME_LINES);
  stdout.on('resize', onResize);
  const tui = options.mode === 'tui';
  // Every way out (unmount, a crash, SIGTERM's process.exit) gives the terminal back: cooked input,
  // no paste or mouse reporting, the normal screen, a visible cursor.
  const restore = () => {
    if (stdin.isTTY) stdin.setRawMode(false);
    stdout.write(tui ? RESTORE_TUI + RESTORE : RESTORE);
  };
  process.once('exit', restore);
  /** After a normal unmount Ink has left the alternate screen itself; leaving it twice would move the cursor. */
  const restoreAfterUnmount = () => {
    if (stdin.isTTY) stdin.setRawMode(false);
    stdout.write(tui ? MOUSE_OFF + RESTORE : RESTORE);
  };

  // Raw mode before the first frame: keys typed while the app starts then arrive as keys (Enter as
  // Enter), not as a line the terminal cooked (Enter turned into a newline) before we listened.
  if (stdin.isTTY) stdin.setRawMode(true);

  let leave!: () => void;
  const left = new Promise<void>((resolve) => (leave = resolve));
  const props = {
    agent,
    store,
    renderer,
    keymap: keymap.keymap,
    history,
    onExit: () => leave(),
    approvalMode: options.approvalMode ?? 'default',
    onRedraw: () => {
      if (!tui) stdout.write('\u001b[2J\u001b[3J\u001b[H');
      store.update((s) => ({ ...s, epoch: s.epoch + 1 }));
    },
  } as const;
  const instance = render(tui ? <TuiApp {...props} /> : <App {...props} />, {
    alternateScreen: tui,
    stdout,
    stdin,
    exitOnCtrlC: false,
    // Library and SDK warnings print above the UI instead of tearing it.
    patchConsole: true,
    // Tests and CI set CI=true, which would make Ink print only the last frame; this mode was chosen for a terminal.
    interactive: true,
    incrementalRendering: true,
    // A key must not wait long for the frame slot: streaming text is paced by the store (frameMs), keys by this.
    maxFps: 120,
  });
  if (tui) stdout.write(MOUSE_ON);
  // SIGTERM: take the screen down properly now; the caller's handler stops the creature and exits.
  const onTerminate = () => {
    instance.unmount();
    restoreAfterUnmount();
    process.off('exit', restore);
  };
  process.once('SIGTERM', onTerminate);
  try {
    await Promise.race([left, instance.waitUntilExit()]);
  } finally {
    process.off('SIGTERM', onTerminate);
    store.flush();
    unsubscribe();
    stdout.off('resize', onResize);
    instance.unmount();
    await instance.waitUntilExit().catch(() => undefined);
    restoreAfterUnmount();
    process.off('exit', restore);
  }
}
