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
import { App } from './app.js';

export interface InteractiveOptions {
  /** When to ask before edits and commands (default: both). */
  approvalMode?: ApprovalMode;
  /** Turns of a resumed session, painted before the prompt appears. */
  history?: readonly TurnRecord[];
  stdin?: NodeJS.ReadStream;
  stdout?: NodeJS.WriteStream;
}

/** Lines kept for the prompt box, footer and margins when sizing the live region. */
const CHROME_LINES = 8;
/** Sequences that put a terminal back as we found it, written on any exit. */
const RESTORE = '\u001b[?2004l\u001b[?25h';

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
  const restore = () => stdout.write(RESTORE);
  process.once('exit', restore);

  // Raw mode before the first frame: keys typed while the app starts then arrive as keys (Enter as
  // Enter), not as a line the terminal cooked (Enter turned into a newline) before we listened.
  if (stdin.isTTY) stdin.setRawMode(true);

  let leave!: () => void;
  const left = new Promise<void>((resolve) => (leave = resolve));
  const instance = render(
    <App
      agent={agent}
      store={store}
      renderer={renderer}
      keymap={keymap.keymap}
      history={history}
      onExit={() => leave()}
      approvalMode={options.approvalMode ?? 'default'}
      onRedraw={() => {
        stdout.write('\u001b[2J\u001b[3J\u001b[H');
        store.update((s) => ({ ...s, epoch: s.epoch + 1 }));
      }}
    />,
    {
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
    },
  );
  try {
    await Promise.race([left, instance.waitUntilExit()]);
  } finally {
    store.flush();
    unsubscribe();
    stdout.off('resize', onResize);
    instance.unmount();
    await instance.waitUntilExit().catch(() => undefined);
    restore();
    process.off('exit', restore);
  }
}
