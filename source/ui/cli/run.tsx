/**
 * Entry of the interactive modes (loaded only when one is chosen, so plain
 * runs never load React or Ink). `startInteractive` draws the app at once —
 * `kt run` calls it before the engine has loaded — and `attach` hands it the
 * creature when it is built; events then flow into the view store. The
 * terminal is restored on every way out.
 *
 * Imports nothing of the engine at run time (only types and the config
 * paths), so this chunk loads without it.
 */
import { createHash } from 'node:crypto';
import { basename, join } from 'node:path';
import { render } from 'ink';
import { configHome } from '../../engine/home.js';
import type { Agent, ApprovalMode, TurnRecord } from '../../index.js';
import { loadKeymap, PromptHistory } from '../input/index.js';
import { findSafeSplitPoint, loadMarkdown, terminalRenderer } from '../markdown/index.js';
import { bannerText, type StartBannerData } from '../components/start-banner.js';
import { AgentSlot } from '../state/agent-slot.js';
import { withHistory, withHistoryPreview, withRestoredUsage } from '../state/history-items.js';
import { withTriggers } from '../state/triggers.js';
import { addItem } from '../state/reduce.js';
import { ViewStore } from '../state/store.js';
import { initialView } from '../state/view.js';
import { TuiApp, tuiTextWidth } from '../tui/app.js';
import { App } from './app.js';

export interface InteractiveOptions {
  /** `cli` (inline, the terminal keeps the scrollback) or `tui` (full screen, panes). */
  mode?: 'cli' | 'tui';
  /** When to ask before edits and commands (default: both). */
  approvalMode?: ApprovalMode;
  /** Start with full tool output, as after Ctrl+O (`--verbose`). */
  expanded?: boolean;
  stdin?: NodeJS.ReadStream;
  stdout?: NodeJS.WriteStream;
}

export interface AttachOptions {
  /** Turns of a resumed session, painted before anything new. */
  history?: readonly TurnRecord[];
  /** The start banner's facts; written once, as the transcript's first line. */
  banner?: StartBannerData;
  /** Warnings from building the creature while the app was drawn (stderr would have torn the frame). */
  notes?: readonly string[];
  /**
   * Build the creature of the session at `path` (`/resume` inside the app), or throw why not (busy,
   * gone). Given by the command that started the app, which owns the creatures; the app then stops
   * the current one (its session is saved) and attaches this one with its transcript.
   */
  resumeSession?(path: string): Promise<{ agent: Agent; history: readonly TurnRecord[]; notes?: readonly string[] }>;
}

export interface InteractiveApp {
  /** Give the app its creature; what the user typed meanwhile is sent now. */
  attach(agent: Agent, options?: AttachOptions): Promise<void>;
  /** Take the app down without a creature (the build failed); the caller reports why. */
  close(): Promise<void>;
  /** Resolves when the user leaves and the terminal is back. */
  readonly done: Promise<void>;
}

/** Lines kept for the prompt box, footer and margins when sizing the live region. */
const CHROME_LINES = 8;
/** Sequences that put a terminal back as we found it, written on any exit: paste mode and focus reports off, cursor shown. */
const RESTORE = '\u001b[?2004l\u001b[?1004l\u001b[?25h';
/** tui mode also leaves the alternate screen and stops mouse reporting. */
const MOUSE_OFF = '\u001b[?1000l\u001b[?1006l';
const RESTORE_TUI = `${MOUSE_OFF}\u001b[?1049l`;
const MOUSE_ON = '\u001b[?1000h\u001b[?1006h';
/** Erase the visible screen and go home. */
const CLEAR_SCREEN = '\u001b[2J\u001b[H';
/** Erase the scrollback (after CLEAR_SCREEN, which some terminals scroll into it). */
const CLEAR_SCROLLBACK = '\u001b[3J';

/** Draw the app now; the creature comes later through `attach`. */
export function startInteractive(options: InteractiveOptions = {}): InteractiveApp {
  const stdout = options.stdout ?? process.stdout;
  const stdin = options.stdin ?? process.stdin;
  const tui = options.mode === 'tui';
  const renderer = terminalRenderer(stdout);
  const store = new ViewStore(initialView({ approvalMode: options.approvalMode ?? 'default', expanded: options.expanded ?? false }), { safeSplit: findSafeSplitPoint, maxLiveLines: (stdout.rows ?? 24) - CHROME_LINES, frameMs: 33 });
  const keymap = loadKeymap(join(configHome(), 'keybindings.json'));
  for (const warning of keymap.warnings) store.update((s) => addItem(s, { kind: 'info', tone: 'warning', text: warning }));
  // History belongs to the folder kt was started in.
  const history = new PromptHistory(join(configHome(), 'history', `${createHash('sha1').update(process.cwd()).digest('hex').slice(0, 16)}.jsonl`));
  history.load();
  const slot = new AgentSlot();
  // cli mode: a narrower terminal re-wraps the rows Ink drew, so Ink's own erase (by its row count)
  // misses some and leaves box fragments on screen and in scrollback. Start over instead: a new
  // epoch wipes screen and scrollback and reprints the transcript at the new width (see below),
  // once Ink and the components have taken the new size in (they hear the same event), so all that
  // is drawn after the wipe is drawn at the new width. A burst of resizes costs one reprint.
  let resizePending = false;
  const onResize = () => {
    store.setMaxLiveLines((stdout.rows ?? 24) - CHROME_LINES);
    if (tui || resizePending) return;
    resizePending = true;
    setImmediate(() => {
      resizePending = false;
      store.update((s) => ({ ...s, epoch: s.epoch + 1 }));
      store.flush();
    });
  };
  stdout.on('resize', onResize);

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
    slot,
    store,
    renderer,
    keymap: keymap.keymap,
    history,
    onExit: () => leave(),
    approvalMode: options.approvalMode ?? 'default',
    onRedraw: () => {
      if (tui) return store.update((s) => ({ ...s, epoch: s.epoch + 1 }));
      // Ctrl+L as terminals do it: the visible screen is cleared (scrollback keeps the transcript)
      // and the live region, prompt box and footer are drawn again at the top. Ink is told its
      // frame is gone (clear), so it draws the next one whole even if nothing in it changed.
      instance.clear();
      stdout.write(CLEAR_SCREEN);
      store.update((s) => ({ ...s }));
      store.flush();
    },
  } as const;
  // A new epoch (a resize, `/clear`) in cli mode: erase the frame Ink knows of, then the screen and the
  // scrollback, before the components reprint the transcript from `shownFrom` and draw the frame anew.
  // Subscribed before the components (before render), so this runs first in the same notification:
  // a component's store update may render synchronously.
  let epochShown = store.getState().epoch;
  const offEpoch = tui
    ? () => undefined
    : store.subscribe(() => {
        const { epoch } = store.getState();
        if (epoch === epochShown) return;
        epochShown = epoch;
        instance.clear();
        stdout.write(CLEAR_SCREEN + CLEAR_SCROLLBACK);
      });
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
    // Streaming text is paced by the store (frameMs). Ink's own throttle only held a key's frame back
    // when another frame had just been drawn: at 120 fps, a quarter of the keys typed while an answer
    // streamed waited, up to 9 ms. At 1000 the throttle is 1 ms.
    maxFps: 1000,
  });
  if (tui) stdout.write(MOUSE_ON);
  // SIGTERM: take the screen down properly now; once a creature is attached, the caller's handler
  // stops it and exits. Before that nothing else will: exit here, as Node would.
  let attached = false;
  const onTerminate = () => {
    instance.unmount();
    restoreAfterUnmount();
    process.off('exit', restore);
    if (!attached) process.exit(143);
  };
  process.once('SIGTERM', onTerminate);
  // A closed terminal (SIGHUP) ends the app the same way; the caller's handler saves the turn.
  process.once('SIGHUP', onTerminate);

  let unsubscribe: (() => void) | undefined;
  let tornDown: Promise<void> | undefined;
  const teardown = () =>
    (tornDown ??= (async () => {
      process.off('SIGTERM', onTerminate);
      process.off('SIGHUP', onTerminate);
      store.flush();
      unsubscribe?.();
      stdout.off('resize', onResize);
      offEpoch();
      instance.unmount();
      await instance.waitUntilExit().catch(() => undefined);
      restoreAfterUnmount();
      process.off('exit', restore);
    })());
  const done = Promise.race([left, instance.waitUntilExit()]).then(teardown, teardown);

  return {
    done,
    // Nothing happened worth keeping on screen: erase the frame, so the error that follows stands alone.
    close: () => {
      instance.clear();
      return teardown();
    },
    async attach(agent, attachOptions = {}) {
      attached = true;
      const banner = attachOptions.banner;
      // Info lines are indented by two columns.
      if (banner) store.update((s) => addItem(s, { kind: 'info', tone: 'info', text: bannerText(banner, (tui ? tuiTextWidth(stdout.columns ?? 80) : stdout.columns ?? 80) - 2) }));
      const resumeSession = attachOptions.resumeSession;
      if (resumeSession) slot.switchSession = (path, name) => switchSession(resumeSession, path, name);
      await connect(agent, attachOptions);
    },
  };

  /** Hand the app its creature: the transcript so far, the footer's figures, then its events. */
  async function connect(agent: Agent, attachOptions: AttachOptions): Promise<void> {
    // Loaded now, not before the first frame: it would only compete with the engine loading, and
    // answers come later than it loads. History to repaint waits for it.
    const markdownReady = loadMarkdown();
    for (const note of attachOptions.notes ?? []) store.update((s) => addItem(s, { kind: 'info', tone: 'warning', text: note }));
    const turns = attachOptions.history;
    if (turns?.length) {
      await markdownReady;
      if (!tui) {
        // Tail first: the last screenful goes up in the live region at once; rendering the whole
        // repaint into the scrollback (up to REPAINT_TURNS, in order) then takes its place.
        const rows = (stdout.rows ?? 24) - CHROME_LINES;
        store.update((s) => withHistoryPreview(s, turns, { rows, columns: stdout.columns ?? 80 }));
        store.flush();
        await instance.waitUntilRenderFlush();
      }
      store.update((s) => withHistory(s, turns));
    }
    // A resumed creature brings its totals and context fill: the footer goes on from them.
    store.update((s) => ({
      ...withRestoredUsage(s, { usage: agent.usage, contextTokens: agent.contextTokens, maxContext: agent.maxContext }),
      model: agent.model,
      creature: agent.name,
      approvalMode: agent.approvalMode ?? s.approvalMode,
    }));
    // Trigger events carry no later fire times: the footer's figures come from the creature after each.
    const refreshTriggers = () => store.update((s) => withTriggers(s, agent.triggers));
    refreshTriggers();
    const offEvents = agent.on((event) => {
      store.dispatch(event);
      if (event.agentPath.length === 1 && (event.type.startsWith('trigger.') || event.type === 'turn.start' || event.type === 'turn.end')) refreshTriggers();
    });
    // A creature may stop by itself (termination.idle_timeout): the app leaves with it.
    const offStop = agent.on('creature.stop', () => void teardown());
    unsubscribe = () => {
      offEvents();
      offStop();
    };
    slot.set(agent);
  }

  /**
   * `/resume <name>`: the new creature is built first, so a session that is busy or gone leaves
   * this one as it was; then this one stops (saved), the screen is cleared as `/clear` clears it,
   * and the chosen session's transcript is repainted before its prompt.
   */
  async function switchSession(resume: NonNullable<AttachOptions['resumeSession']>, path: string, name: string): Promise<void> {
    const note = (text: string, tone: 'info' | 'warning') => store.update((s) => addItem(s, { kind: 'info', tone, text }));
    const previous = slot.agent;
    if (previous && previous.state === 'running') return note('A turn is running; press Esc first, then /resume.', 'warning');
    let next: Awaited<ReturnType<typeof resume>>;
    try {
      next = await resume(path);
    } catch (error) {
      return note(`Cannot resume ${name}: ${(error as Error).message}. This session goes on.`, 'warning');
    }
    // Its events and stop no longer reach the screen: stopping it must not take the app down.
    unsubscribe?.();
    unsubscribe = undefined;
    await previous?.stop('switched session');
    const left = previous?.sessionPath ? basename(previous.sessionPath, '.kohakutr') : undefined;
    const text = `Resumed ${name}.${left && previous?.turns ? ` ${left} is saved (/resume ${left} goes back to it).` : ''}`;
    store.update((s) => addItem({ ...s, shownFrom: s.committed.length, epoch: s.epoch + 1, usage: { ...s.usage, contextTokens: 0 } }, { kind: 'info', tone: 'info', text }));
    store.flush();
    await connect(next.agent, next);
  }
}

/** Draw the app for a creature that is already built, and wait until the user leaves. */
export async function runInteractive(agent: Agent, options: InteractiveOptions & AttachOptions = {}): Promise<void> {
  const app = startInteractive(options);
  await app.attach(agent, options);
  await app.done;
}
