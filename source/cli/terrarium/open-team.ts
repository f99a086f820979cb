/**
 * Building the team a terrarium command runs: from a recipe, or ad hoc
 * from `kt run <creature> --add <creature> [--channel <name>]`. The first
 * creature of an ad-hoc team is its root (privileged); with a channel every
 * member hears and may send on it, else each member and the root may send
 * to the other's direct channel.
 */
import { installBuiltins } from '../../builtins/index.js';
import type { BuildOptions } from '../../engine/creature/agent-options.js';
import { loadCreature } from '../../engine/config/loader.js';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConfigError, UsageError } from '../../engine/errors.js';
import { sessionHome } from '../../engine/home.js';
import { keepSessionAt } from '../../engine/terrarium/session-file.js';
import { loadRecipe } from '../../engine/terrarium/recipe.js';
import { Terrarium, type TerrariumOptions } from '../../engine/terrarium/terrarium.js';
import type { TerrariumCreature } from '../../engine/terrarium/member.js';
import type { TurnRecord } from '../../engine/session/reader.js';
import type { ConverseOptions } from '../converse-flags.js';

export interface TeamFlags {
  llm?: string | undefined;
  pwd?: string | undefined;
  /** --session FILE names the team's session file; --no-session (false) keeps none; unset: a new file in the session folder. */
  session?: string | false | undefined;
}

export interface OpenTeam {
  team: Terrarium;
  /** Who the person talks to (the recipe's root, or its first creature). */
  root: TerrariumCreature;
  /** Warnings from loading the recipe. */
  notes: string[];
  /** A resumed team's turns so far, by member, for the app to repaint. */
  history?: Record<string, readonly TurnRecord[]>;
}

/** Where the team keeps its session, as `kt run` does for a creature. */
function sessionChoice(flags: TeamFlags): { options: Pick<TerrariumOptions, 'sessionDir'>; path?: string } {
  if (flags.session === '') throw new UsageError('--session needs a file name');
  if (flags.session === false) return { options: {} };
  if (flags.session !== undefined) return { options: {}, path: resolve(flags.session) };
  return { options: { sessionDir: sessionHome() } };
}

/** A new team with the run's options, its session kept as the flags say. */
function newTeam(name: string | undefined, flags: TeamFlags, options: ConverseOptions): Terrarium {
  const session = sessionChoice(flags);
  const team = new Terrarium({
    ...(name ? { name } : {}),
    ...(flags.pwd ? { pwd: flags.pwd } : {}),
    ...(flags.llm ? { llm: flags.llm } : {}),
    ...session.options,
    ...teamOptions(options),
  });
  if (session.path) keepSessionAt(team, session.path);
  return team;
}

function buildOptions(options: ConverseOptions): BuildOptions {
  return {
    ...(options.allowedPaths.length ? { allowedPaths: options.allowedPaths } : {}),
    ...(options.maxTurns ? { maxTurns: options.maxTurns } : {}),
    ...(options.plugins.length ? { plugins: options.plugins } : {}),
    // kt is the input of the root; members are driven by the team (channels, wires).
    input: 'none',
  };
}

/**
 * Every member — from the recipe or added while the team runs — gets the approval mode before it starts.
 * With nobody attached to answer (a scripted run), what the mode does not allow is refused; the terminal
 * app attaches to every member, so there it is asked.
 */
export function teamOptions(options: ConverseOptions): Pick<TerrariumOptions, 'build' | 'prepareMember'> {
  return {
    build: buildOptions(options),
    prepareMember: (member) => member.agent.refuseUnapproved(options.approvalMode, (message) => process.stderr.write(`kt: [${member.name}] ${message}\n`)),
  };
}

export async function openRecipe(ref: string, flags: TeamFlags, options: ConverseOptions): Promise<OpenTeam> {
  installBuiltins();
  const recipe = loadRecipe(ref);
  const team = newTeam(recipe.name, flags, options);
  try {
    // Through the team, so its session notes the recipe a resume applies again (the file, resolved here:
    // the team reads references from its own folder, --pwd).
    await team.applyRecipe(recipe.file ?? ref);
    const rootName = recipe.root?.name ?? recipe.members[0]?.name;
    const root = rootName ? team.getCreature(rootName) : undefined;
    if (!root) throw new ConfigError('the recipe has no creatures (add root: or creatures:)', { file: recipe.source.file });
    return { team, root, notes: recipe.warnings.map((w) => w.message) };
  } catch (error) {
    await team.shutdown();
    throw error;
  }
}

/** A creature reference as the team reads it: a path made absolute (the team's folder is --pwd, not this one). */
function resolveRef(ref: string): string {
  return !ref.startsWith('@') && existsSync(resolve(ref)) ? resolve(ref) : ref;
}

export async function openAdHoc(first: string, added: readonly string[], channel: string | undefined, flags: TeamFlags, options: ConverseOptions): Promise<OpenTeam> {
  installBuiltins();
  const team = newTeam('team', flags, options);
  try {
    const taken = new Set<string>();
    // Each member joins with its edges, so the team is one graph (one session file) from the first member on.
    const add = async (ref: string, privileged: boolean, edges: { listen?: string[]; canSend?: string[] }) => {
      const definition = loadCreature(ref);
      let name = definition.name;
      for (let n = 2; taken.has(name); n++) name = `${definition.name}-${n}`;
      taken.add(name);
      // The reference, not the definition: the session keeps it, so a resume rebuilds the member from it.
      return team.addCreature(resolveRef(ref), { name, privileged, start: false, ...edges });
    };
    if (channel) team.addChannel(channel, { description: 'the team talks here' });
    const shared = channel ? { listen: [channel], canSend: [channel] } : {};
    const root = await add(first, true, shared);
    const members: TerrariumCreature[] = [];
    // Without a shared channel, members and the root reach each other on their direct channels.
    for (const ref of added) members.push(await add(ref, false, channel ? shared : { canSend: [root.name] }));
    if (!channel) for (const m of members) team.setSend(root.name, m.name, true);
    for (const m of [root, ...members]) await team.startCreature(m.name);
    return { team, root, notes: [] };
  } catch (error) {
    await team.shutdown();
    throw error;
  }
}
