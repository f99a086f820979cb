/**
 * Handing a run to the terminal app: loading it early, noting the mode in the
 * session (so `kt resume` comes back in it), and attaching the creature to an
 * app `kt run` drew before the engine loaded, or starting one.
 */
import type { Agent } from '../engine/creature/agent.js';
import type { TurnRecord } from '../engine/session/reader.js';
import type { InteractiveApp } from '../ui/cli/run.js';
import type { UiMode } from '../ui/mode.js';
import type { ConverseOptions } from './converse-flags.js';
import { startBannerData } from './start-banner.js';
import { loadTerminalApp } from './terminal-app.js';

/** Session state key: the interactive mode the session was last used in, so `kt resume` comes back in it. */
export const UI_MODE_KEY = 'ui.mode';

/**
 * Start loading the terminal app (Ink, React, the UI) while the creature is
 * built, when this run will use it: the two overlap, and the first frame
 * comes sooner.
 */
export function prefetchInteractive(options: ConverseOptions): void {
  if (options.mode === 'plain' || options.prompt !== undefined || !process.stdin.isTTY) return;
  void loadTerminalApp();
}

/** Note the mode in the session (a second, short-lived connection; the recorder's is idle before the first turn). */
async function rememberMode(path: string, mode: UiMode): Promise<void> {
  const { SessionStore } = await import('../engine/session/store.js');
  const store = SessionStore.open(path);
  try {
    store.setState(UI_MODE_KEY, mode);
  } finally {
    store.close();
  }
}

/** What `converse` hands the app besides the creature. */
export interface AppExtras {
  history?: readonly TurnRecord[];
  notes?: readonly string[];
  app?: Promise<InteractiveApp>;
  /** The app switched to another session's creature (`/resume`): it is the one to stop at the end now. */
  onSwitch?(agent: Agent): void;
}

/** Run the terminal app on `agent` until the user leaves. */
export async function runApp(agent: Agent, options: ConverseOptions, extras: AppExtras): Promise<void> {
  if (agent.sessionPath) await rememberMode(agent.sessionPath, options.mode);
  const attach = {
    ...(extras.history ? { history: extras.history } : {}),
    ...(extras.notes?.length ? { notes: extras.notes } : {}),
    banner: startBannerData(agent, options.approvalMode),
    // `/resume <name>` inside the app: the creature is built as `kt resume` builds it, with this run's flags.
    resumeSession: async (path: string) => {
      const { openResumed } = await import('./resume-creature.js');
      const resumed = await openResumed(path, options);
      try {
        // As converse readies the first creature; the app then sets itself as asker and approver.
        await resumed.agent.start();
        await resumed.agent.refuseUnapproved(options.approvalMode);
        await rememberMode(path, options.mode);
      } catch (error) {
        await resumed.agent.stop();
        throw error;
      }
      extras.onSwitch?.(resumed.agent);
      return resumed;
    },
  };
  if (extras.app) {
    const app = await extras.app;
    await app.attach(agent, attach);
    await app.done;
    return;
  }
  const { runInteractive } = await loadTerminalApp();
  await runInteractive(agent, { mode: options.mode === 'tui' ? 'tui' : 'cli', approvalMode: options.approvalMode, expanded: options.verbose, ...attach });
}
