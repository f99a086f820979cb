/**
 * `kt resume [<session>]`: pick a session up where it stopped. The creature
 * is rebuilt from its config (or, when that folder is gone, from the config
 * snapshot in the session), its conversation restored from the log, and the
 * new turns go on into the same file.
 */
import { sessionHome } from '../../engine/home.js';
import { UsageError } from '../../engine/errors.js';
import { findSession, listSessions, sessionFiles, whoOf } from '../../engine/session/listing.js';
import { SessionStore } from '../../engine/session/store.js';
import type { InteractiveApp } from '../../ui/cli/run.js';
import { formatAge } from '../../ui/format.js';
import { parseArgs } from '../args.js';
import { CONVERSE_FLAGS, CONVERSE_HELP, UI_MODE_KEY, collectInput, converse, converseOptions, prefetchInteractive } from '../converse.js';
import { ask } from '../prompt.js';
import { buildResumed } from '../resume-creature.js';
import { table } from '../table.js';
import { sessionsCommand } from './sessions.js';

const HELP = `
Usage
  $ kt resume [<session>] [options]

  <session> is a session file or (the start of) its name in the session folder:
  a creature's or a team's (a terrarium run; the team comes back and you talk to its root).
  --last picks the most recent; with neither, kt lists recent sessions to pick from.

Options
  --last                   The most recent session
  --list                   List sessions (same as kt sessions)${CONVERSE_HELP}

Examples
  $ kt resume --last
  $ kt resume swe_2026 -p "Go on with the tests."
`;

/** `app`: the terminal app main drew before the engine loaded (see early-ui.ts); the creature is attached to it. */
export async function resumeCommand(argv: string[], app?: Promise<InteractiveApp>): Promise<number> {
  const cli = parseArgs(HELP, argv, { ...CONVERSE_FLAGS, last: { type: 'boolean', default: false }, list: { type: 'boolean', default: false } }, 'kt resume');
  const flags = cli.flags;
  if (flags.list) return sessionsCommand([]);
  const [ref, ...extra] = cli.input;
  if (extra.length) throw new UsageError(`unexpected argument '${extra[0]}': pass the prompt with -p "..."`);
  if (ref && flags.last) throw new UsageError('give a session or --last, not both');
  const options = converseOptions(flags);
  // The early scan guessed wrong (a flag it does not know made this run scripted, or the picker must ask first).
  if (app && (options.mode === 'plain' || (!ref && !flags.last))) app = await takeDown(app);
  if (!app) prefetchInteractive(options);

  const path = await chooseSession(ref, flags.last);
  const store = SessionStore.open(path, { readonly: true });
  const meta = store.meta;
  if (meta.kind === 'terrarium') {
    store.close();
    // A team runs in its own app (or plain): the early creature frame makes way.
    if (app) app = await takeDown(app);
    const { runTeam } = await import('./terrarium.js');
    const { openResumedTeam } = await import('../terrarium/resume-team.js');
    return runTeam(() => openResumedTeam(path, meta, flags, options), options);
  }
  const input = await collectInput(options);
  // A session last used full screen comes back full screen, unless --mode says otherwise
  // (the early frame was drawn in cli mode: it makes way).
  if (flags.mode === undefined && options.mode === 'cli' && store.getState<string>(UI_MODE_KEY) === 'tui') {
    options.mode = 'tui';
    if (app) app = await takeDown(app);
  }
  store.close();
  // Warnings go above the app when it is not drawn yet, into its transcript when it is (stderr would tear the frame).
  const notes: string[] = [];
  const warn = (text: string) => (app ? notes.push(text) : process.stderr.write(`kt: warning: ${text}\n`));
  const agent = await buildResumed(path, meta, { llm: flags.llm, pwd: flags.pwd, options, warn });
  // Like the resume hint, this line is for a person at a terminal, not for pipes and CI logs.
  if (options.format === 'text' && options.mode === 'plain' && (input.kind === 'terminal' || process.stderr.isTTY || options.verbose)) {
    const last = agent.messages.filter((m) => m.role === 'user').at(-1);
    process.stderr.write(`kt: resumed ${meta.agents[0] ?? 'session'} (${agent.turns} turns, ${agent.model})${last ? `; last prompt: ${preview(String(last.content))}` : ''}\n`);
  }
  if (input.kind === 'terminal' && options.mode !== 'plain') {
    // The interactive UI repaints the conversation so far before its prompt appears.
    const { SessionReader } = await import('../../engine/session/reader.js');
    using reader = new SessionReader(path);
    return converse(agent, options, input, { history: reader.turns(), notes, ...(app ? { app } : {}) });
  }
  return converse(agent, options, input);
}

async function chooseSession(ref: string | undefined, last: boolean): Promise<string> {
  const dir = sessionHome();
  if (ref) return findSession(ref, dir);
  if (last) {
    const newest = sessionFiles(dir)[0];
    if (!newest) throw new UsageError(`no sessions yet in ${dir}`);
    return newest;
  }
  if (!process.stdin.isTTY) throw new UsageError('which session? kt resume <name>, or kt resume --last');
  const { sessions } = listSessions(dir);
  if (!sessions.length) throw new UsageError(`no sessions yet in ${dir}`);
  const recent = sessions.slice(0, 10);
  const rows = recent.map((s, i) => [String(i + 1).padStart(2), s.name, whoOf(s), formatAge(s.lastActive), String(s.turns), preview(s.firstPrompt ?? '')]);
  process.stderr.write(table(rows, [' #', 'NAME', 'CREATURE', 'ACTIVE', 'TURNS', 'FIRST PROMPT']));
  const answer = await ask('Session (number or name): ');
  const index = Number(answer);
  if (Number.isInteger(index) && index >= 1 && index <= recent.length) return (recent[index - 1] as (typeof recent)[number]).path;
  if (!answer) throw new UsageError('no session chosen');
  return findSession(answer, dir);
}

/** Erase the early frame and give the terminal back; the command goes on without it. */
async function takeDown(app: Promise<InteractiveApp>): Promise<undefined> {
  await (await app).close();
  return undefined;
}

function preview(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 60 ? `${flat.slice(0, 59)}…` : flat;
}
