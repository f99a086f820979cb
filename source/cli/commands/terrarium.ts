/**
 * `kt terrarium run <recipe>` and `kt terrarium info <recipe>`: a team of
 * creatures from a `terrarium.yaml`. Loaded only for these commands (and for
 * `kt run` given a recipe or --add), so a plain creature run never loads the
 * terrarium engine.
 */
import { basename } from 'node:path';
import { UsageError } from '../../engine/errors.js';
import { loadRecipe } from '../../engine/terrarium/recipe.js';
import { didYouMean } from '../../engine/util/close-match.js';
import { parseArgs } from '../args.js';
import { CONVERSE_FLAGS, CONVERSE_HELP, converseOptions, type ConverseOptions } from '../converse-flags.js';
import { drawTopology, recipeTopology } from '../terrarium/info.js';
import { openAdHoc, openRecipe, type OpenTeam, type TeamFlags } from '../terrarium/open-team.js';
import { runTeamPlain } from '../terrarium/plain-team.js';
import { readAll } from '../../ui/plain/input.js';

const HELP = `
Usage
  $ kt terrarium run <recipe> [options]    Run the team; you talk to its root
  $ kt terrarium info <recipe>             Draw the team (members, channels, wires); builds nothing

  <recipe> is a terrarium.yaml (or recipe.yaml), or a folder holding one.
  kt run <recipe> does the same as kt terrarium run <recipe>.

Options of run${CONVERSE_HELP}
  --session <file>         Write the team's session to this file (default: a new file in the session folder)
  --no-session             Keep no session

With -p (or piped stdin) the root's answer goes to stdout and every other
  member's lines to stderr, each starting with [name]; the exit code is that of
  the root's turn. --output-format stream-json prints every member's events,
  each line tagged with "creature". At a terminal the app opens: Tab or @name
  switches which creature you see, @name <message> talks to that member.

Examples
  $ kt terrarium info ./review-team
  $ kt terrarium run ./review-team -p "Fix the failing test and get it reviewed."
`;

const SUBCOMMANDS = ['run', 'info'];

export async function terrariumCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (!sub || sub === '--help' || sub === '-h' || sub === 'help') {
    process.stdout.write(`${HELP.trim()}\n`);
    return 0;
  }
  if (sub === 'info') return infoCommand(rest);
  if (sub === 'run') return runTerrarium(rest);
  throw new UsageError(`unknown terrarium command '${sub}'${didYouMean(sub, SUBCOMMANDS)}; see kt terrarium --help`);
}

function infoCommand(argv: string[]): number {
  const cli = parseArgs(HELP, argv, {}, 'kt terrarium info');
  const [ref, extra] = cli.input;
  if (!ref) throw new UsageError('missing <recipe>: kt terrarium info ./my-team');
  if (extra) throw new UsageError(`unexpected argument '${extra}'`);
  const recipe = loadRecipe(ref);
  for (const warning of recipe.warnings) process.stderr.write(`kt: warning: ${warning.message}\n`);
  process.stdout.write(drawTopology(recipe, recipeTopology(recipe), recipe.root?.name ?? recipe.members[0]?.name));
  return 0;
}

async function runTerrarium(argv: string[]): Promise<number> {
  const cli = parseArgs(HELP, argv, { ...CONVERSE_FLAGS, session: { type: 'string' } }, 'kt terrarium run');
  const [ref, extra] = cli.input;
  if (!ref) throw new UsageError('missing <recipe>: kt terrarium run ./my-team -p "..."');
  if (extra) throw new UsageError(`unexpected argument '${extra}': pass the prompt with -p "..."`);
  const options = converseOptions(cli.flags);
  // meow reads --no-session as `session: false`, though the flag is typed as a string.
  const flags: TeamFlags = { ...cli.flags, session: cli.flags.session as string | false | undefined };
  return runTeam(() => openRecipe(ref, flags, options), options);
}

/** `kt run <recipe>`: the flags kt run parsed, the team from the recipe. */
export function runRecipe(ref: string, flags: TeamFlags, options: ConverseOptions): Promise<number> {
  return runTeam(() => openRecipe(ref, flags, options), options);
}

/** `kt run <creature> --add <creature> [--channel <name>]`. */
export function runAdHoc(first: string, added: readonly string[], channel: string | undefined, flags: TeamFlags, options: ConverseOptions): Promise<number> {
  if (channel === '') throw new UsageError('--channel needs a channel name');
  return runTeam(() => openAdHoc(first, added, channel, flags, options), options);
}

/** Run a team as kt terrarium run does: the app at a terminal, else the prompt through the root. */
export async function runTeam(open: () => Promise<OpenTeam>, options: ConverseOptions): Promise<number> {
  if (options.inputFormat === 'stream-json') throw new UsageError('--input-format stream-json is not supported for a terrarium yet; use -p or pipe the prompt');
  const interactive = options.prompt === undefined && process.stdin.isTTY === true && options.mode !== 'plain';
  // The prompt is settled before the team is built: bad input builds nothing.
  let prompt = options.prompt;
  if (!interactive && prompt === undefined) {
    if (process.stdin.isTTY) throw new UsageError('no prompt: pass one with -p "..." (plain mode at a terminal needs one)');
    prompt = await readAll(process.stdin);
    if (!prompt.trim()) throw new UsageError('no prompt: stdin was empty (pass one with -p "...")');
  }
  const opened = await open();
  for (const note of opened.notes) process.stderr.write(`kt: warning: ${note}\n`);
  try {
    if (!interactive) return await runTeamPlain(opened.team, opened.root, options, [prompt!]);
    const { runTeamApp } = await import('../terrarium/interactive-team.js');
    return await runTeamApp(opened, options);
  } finally {
    // As for a creature: a hint for people at a terminal; scripts know their --session path.
    const path = opened.team.sessionPath;
    if (path && (interactive || process.stderr.isTTY || options.verbose)) process.stderr.write(`kt: session saved; resume with: kt resume ${basename(path, '.kohakutr')}\n`);
  }
}
