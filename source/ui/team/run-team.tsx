/**
 * Entry of the terminal app for a team (loaded only when a terrarium runs at
 * a terminal): one view store per member, the team store over them, Ink
 * rendering the team screen, and the terminal given back on every way out.
 * The focus moving in cli mode wipes the screen and scrollback and prints
 * the newly focused creature's transcript, as a resize does.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { render } from 'ink';
import { configHome } from '../../engine/home.js';
import type { ApprovalMode, TurnRecord } from '../../index.js';
import { loadKeymap, PromptHistory } from '../input/index.js';
import { findSafeSplitPoint, loadMarkdown, terminalRenderer } from '../markdown/index.js';
import { withHistory } from '../state/history-items.js';
import { addItem } from '../state/reduce.js';
import { ViewStore } from '../state/store.js';
import { initialView } from '../state/view.js';
import { TeamApp } from './team-app.js';
import type { TeamSource } from './team-source.js';
import { TeamStore } from './team-store.js';

export interface TeamInteractiveOptions {
  /** Who has the focus first (the root). */
  root: string;
  mode?: 'cli' | 'tui';
  approvalMode?: ApprovalMode;
  expanded?: boolean;
  notes?: readonly string[];
  /** A resumed team's turns so far, by member: each member's view starts with its own. */
  history?: Readonly<Record<string, readonly TurnRecord[]>>;
  stdin?: NodeJS.ReadStream;
  stdout?: NodeJS.WriteStream;
}

const CHROME_LINES = 9;
const RESTORE = '\u001b[?2004l\u001b[?1004l\u001b[?25h';
const MOUSE_OFF = '\u001b[?1000l\u001b[?1006l';
const CLEAR_ALL = '\u001b[2J\u001b[H\u001b[3J';
/** How often the graph's traffic marks are aged (a mark lasts two ticks). */
const TICK_MS = 700;

/** Draw the team and wait until the person leaves. */
export async function runTeamInteractive(source: TeamSource, options: TeamInteractiveOptions): Promise<void> {
  const stdout = options.stdout ?? process.stdout;
  const stdin = options.stdin ?? process.stdin;
  const tui = options.mode === 'tui';
  const renderer = terminalRenderer(stdout);
  await loadMarkdown();
  const approvalMode = options.approvalMode ?? 'default';
  const team = new TeamStore(source, options.root, () =>
    new ViewStore(initialView({ approvalMode, expanded: options.expanded ?? false }), { safeSplit: findSafeSplitPoint, maxLiveLines: (stdout.rows ?? 24) - CHROME_LINES, frameMs: 33 }),
  );
  for (const [name, turns] of Object.entries(options.history ?? {})) team.member(name)?.store.update((s) => withHistory(s, turns));
  const first = team.focused().store;
  first.update((s) => addItem(s, { kind: 'info', tone: 'info', text: `Terrarium ${source.name}: ${team.names().join(', ')}. You talk to ${options.root}; Tab or @name switches, @name <message> talks to a member.` }));
  for (const note of options.notes ?? []) first.update((s) => addItem(s, { kind: 'info', tone: 'warning', text: note }));
  const keymap = loadKeymap(join(configHome(), 'keybindings.json'));
  const history = new PromptHistory(join(configHome(), 'history', `${createHash('sha1').update(process.cwd()).digest('hex').slice(0, 16)}.jsonl`));
  history.load();

  const restore = () => {
    if (stdin.isTTY) stdin.setRawMode(false);
    stdout.write(tui ? `${MOUSE_OFF}\u001b[?1049l${RESTORE}` : RESTORE);
  };
  process.once('exit', restore);
  if (stdin.isTTY) stdin.setRawMode(true);

  // cli mode: a new focus means a new transcript in the scrollback. Subscribed before Ink renders, so the
  // screen is wiped before the newly focused transcript prints.
  let focus = team.getState().focus;
  const offFocus = team.subscribe(() => {
    const next = team.getState().focus;
    if (next === focus) return;
    focus = next;
    if (!tui) {
      instance.clear();
      stdout.write(CLEAR_ALL);
    }
  });
  let leave!: () => void;
  const left = new Promise<void>((resolve) => (leave = resolve));
  const instance = render(
    <TeamApp
      team={team}
      mode={tui ? 'tui' : 'cli'}
      renderer={renderer}
      keymap={keymap.keymap}
      history={history}
      approvalMode={approvalMode}
      onExit={() => leave()}
      onRedraw={() => {
        instance.clear();
        stdout.write(CLEAR_ALL);
        team.focused().store.update((s) => ({ ...s, epoch: s.epoch + 1 }));
      }}
    />,
    { alternateScreen: tui, stdout, stdin, exitOnCtrlC: false, patchConsole: true, interactive: true, incrementalRendering: true, maxFps: 60 },
  );
  const ticker = setInterval(() => team.tick(), TICK_MS);
  ticker.unref();
  try {
    await Promise.race([left, instance.waitUntilExit()]);
  } finally {
    clearInterval(ticker);
    offFocus();
    for (const name of team.names()) team.member(name)?.store.flush();
    team.close();
    instance.unmount();
    await instance.waitUntilExit().catch(() => undefined);
    if (stdin.isTTY) stdin.setRawMode(false);
    stdout.write(tui ? `${MOUSE_OFF}${RESTORE}` : RESTORE);
    process.off('exit', restore);
  }
}
