/**
 * `kt resume <team session>`: the team back from its file (the recipe
 * applied again, then the saved topology; every member restores its own
 * conversation), each member set up with the approval mode as in
 * `kt terrarium run`, then run the same way — the app talking to the root
 * at a terminal, the prompt through the root with -p or piped stdin.
 * A file another process holds fails with SessionBusyError before anything
 * is built or written.
 */
import { existsSync, statSync } from 'node:fs';
import { installBuiltins } from '../../builtins/index.js';
import { ConfigError, UsageError } from '../../engine/errors.js';
import type { SessionMeta } from '../../engine/session/meta.js';
import { SessionStore } from '../../engine/session/store.js';
import { MEMBERS_KEY, TOPOLOGY_KEY } from '../../engine/session/team-state.js';
import { Terrarium } from '../../engine/terrarium/terrarium.js';
import type { ConverseOptions } from '../converse-flags.js';
import { teamOptions, type OpenTeam, type TeamFlags } from './open-team.js';

/** What the file says about the team before it is opened as its owner (a reader takes no lock). */
interface SavedTeam {
  root: string | undefined;
  members: string[];
  /** The model every member was given by name at the run (`--llm`), when they all share one. */
  llm: string | undefined;
}

function readSaved(path: string): SavedTeam {
  const store = SessionStore.open(path, { readonly: true });
  try {
    const topology = store.getState<{ creatures: Array<{ name: string }> }>(TOPOLOGY_KEY);
    const specs = Object.values(store.getState<Record<string, { llm?: string }>>(MEMBERS_KEY) ?? {});
    const models = new Set(specs.map((s) => s.llm));
    const only = models.size === 1 ? [...models][0] : undefined;
    // The first member is the root: the recipe's root is built first, as is an ad-hoc team's first creature.
    return { root: topology?.creatures[0]?.name, members: topology?.creatures.map((c) => c.name) ?? [], llm: only };
  } finally {
    store.close();
  }
}

export async function openResumedTeam(path: string, meta: SessionMeta, flags: TeamFlags, options: ConverseOptions): Promise<OpenTeam> {
  const pwd = flags.pwd ?? meta.pwd;
  if (!existsSync(pwd) || !statSync(pwd).isDirectory()) throw new UsageError(`the session's working directory ${pwd} is gone; pass another with --pwd`);
  installBuiltins();
  const saved = readSaved(path);
  const llm = flags.llm ?? saved.llm;
  const team = await Terrarium.resume(path, { pwd, ...(llm ? { llm } : {}), ...teamOptions(options) });
  const root = saved.root ? team.getCreature(saved.root) : team.listCreatures()[0];
  if (!root) {
    await team.shutdown();
    throw new ConfigError(`the team of ${path} has no members to talk to`);
  }
  // Each member's transcript so far, for the app to repaint (the file is the team's now; reading takes no lock).
  const { SessionReader } = await import('../../engine/session/reader.js');
  using reader = new SessionReader(path);
  const history = Object.fromEntries(saved.members.map((name) => [name, reader.turns(name)]));
  return { team, root, notes: [], history };
}
