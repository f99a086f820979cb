/**
 * `kt run <creature>`: build a creature and talk to it. Every run is a
 * session (a `.kohakutr` file in the session folder) unless --no-session.
 */
import { installBuiltins } from '../../builtins/index.js';
import { sessionHome } from '../../engine/home.js';
import { Agent } from '../../engine/creature/agent.js';
import { loadCreature } from '../../engine/config/loader.js';
import { UsageError } from '../../engine/errors.js';
import { listSessions, newSessionPath } from '../../engine/session/listing.js';
import { parseArgs } from '../args.js';
import type { InteractiveApp } from '../../ui/cli/run.js';
import { resolve } from 'node:path';
import { recipeAt } from '../terrarium/detect.js';
import { bindSoloTeam, withSoloTeam } from '../solo-team.js';
import { CONVERSE_FLAGS, CONVERSE_HELP, collectInput, converse, converseArgv, converseOptions, prefetchInteractive, type ConverseFlagValues } from '../converse.js';

const HELP = `
Usage
  $ kt run <creature> [options]

  <creature> is a folder holding config.yaml, a config file, or a package
  reference such as @kt-biome/creatures/swe.

Options${CONVERSE_HELP}
  --session <file>         Write the session to this file (default: a new file in the session folder)
  --no-session             Keep no session
  -c, --continue           Continue the newest session started in this folder (<creature> may be left out)
  -r, --resume <session>   Continue that session (same as kt resume <session>)
  --add <creature>         Run a team: <creature> is its root, each --add joins it (repeatable)
  --channel <name>         With --add: the team shares this channel (else each may message the root and back)

  A terrarium recipe (terrarium.yaml, or a folder with one) runs as kt terrarium run.

Without -p, piped stdin is the prompt (one turn, then exit); at a terminal the
  app opens and you talk to the creature until you leave (Ctrl+D or /exit).
  A creature whose config names its own input (input: webhook, stdin_lines,
  none or a custom module) is driven by it: kt stays until Ctrl+C (exit 0) or
  the input ends; -p or --input-format stream-json make kt the input instead.

Examples
  $ kt run @kt-biome/creatures/swe -p "Why does the build fail?"
  $ git diff | kt run @kt-biome/creatures/general --output-format json
`;

export async function runCommand(argv: string[], app?: Promise<InteractiveApp>): Promise<number> {
  const cli = parseArgs(HELP, argv, {
    ...CONVERSE_FLAGS,
    session: { type: 'string' },
    continue: { type: 'boolean', shortFlag: 'c', default: false },
    resume: { type: 'string', shortFlag: 'r' },
    add: { type: 'string', isMultiple: true },
    channel: { type: 'string' },
  }, 'kt run');
  const flags = cli.flags;
  if (flags.continue || flags.resume !== undefined) return continueSession(flags, cli.input, app);
  const [ref, ...extra] = cli.input;
  if (!ref) throw new UsageError('missing <creature>: try kt run @kt-biome/creatures/swe -p "..."');
  if (extra.length) throw new UsageError(`unexpected argument '${extra[0]}': pass the prompt with -p "..."`);
  const options = converseOptions(flags);
  const added = flags.add ?? [];
  if (flags.channel !== undefined && !added.length) throw new UsageError('--channel names the channel of a team: add a creature with --add <creature>');
  // A recipe or an ad-hoc team runs as kt terrarium run does; the terrarium code loads only then.
  const recipe = added.length ? undefined : await recipeAt(ref);
  if (recipe || added.length) {
    if (app) await (await app).close();
    const { runRecipe, runAdHoc } = await import('./terrarium.js');
    return recipe ? runRecipe(recipe, flags, options) : runAdHoc(ref, added, flags.channel, flags, options);
  }
  if (app && options.mode === 'plain') {
    // The early scan guessed wrong (a flag it does not know made this run scripted): take the app down.
    await (await app).close();
    app = undefined;
  }
  if (!app) prefetchInteractive(options);
  if (flags.session === '') throw new UsageError('--session needs a file name');

  // Static imports on purpose: this module only loads for `kt run`, and one
  // chunk instantiates faster than several.
  installBuiltins();
  const solo = withSoloTeam(loadCreature(ref), options, flags.llm);
  const definition = solo.definition;
  const input = await collectInput(options, definition.input?.kind);
  // meow reads --no-session as `session: false`, though the flag is typed as a string.
  const choice = flags.session as string | false | undefined;
  const session = choice === false ? undefined : (choice ?? newSessionPath(sessionHome(), definition.name));
  const agent = await Agent.build(definition, {
    ...(flags.llm ? { llm: flags.llm } : {}),
    ...(flags.pwd ? { pwd: flags.pwd } : {}),
    ...(options.allowedPaths.length ? { allowedPaths: options.allowedPaths } : {}),
    ...(options.maxTurns ? { maxTurns: options.maxTurns } : {}),
    ...(options.plugins.length ? { plugins: options.plugins } : {}),
    // With -p, piped stdin or stream-json, kt is the input: the config's input module must not read too (its outputs still run).
    input: input.kind === 'module' ? 'config' : 'none',
    // A generated name must name a new file: never continue a session that happens to have it.
    ...(session ? { session, sessionRef: ref, ...(choice === undefined ? { newSession: true } : {}) } : {}),
    group: solo.team.control,
  });
  bindSoloTeam(solo.team, agent);
  return converse(agent, options, input, app ? { app } : {});
}

/**
 * `kt run -c` / `-r <session>`: the same as `kt resume`, with the flags
 * carried over. `-c` takes the newest session whose working folder is this
 * one, as people expect from other agent CLIs; `kt resume --last` takes the
 * newest anywhere.
 */
async function continueSession(
  flags: ConverseFlagValues & { continue: boolean; resume?: string | undefined },
  input: readonly string[],
  app: Promise<InteractiveApp> | undefined,
): Promise<number> {
  if (flags.continue && flags.resume !== undefined) throw new UsageError('give -c or -r <session>, not both');
  if (input.length > 1) throw new UsageError(`unexpected argument '${input[1]}': pass the prompt with -p "..."`);
  let session = flags.resume;
  if (session === '') throw new UsageError('-r needs a session name or path (kt sessions lists them)');
  if (flags.continue) {
    const here = resolve(flags.pwd ?? process.cwd());
    const newest = listSessions(sessionHome()).sessions.find((s) => resolve(s.pwd) === here);
    if (!newest) throw new UsageError(`no session started in ${here} yet; kt resume --last continues the newest anywhere`);
    session = newest.path;
  }
  const { resumeCommand } = await import('./resume.js');
  // The app drawn early for `kt run` serves the resumed session (kt resume swaps it for tui when needed).
  return resumeCommand([session!, ...converseArgv(flags)], app);
}
