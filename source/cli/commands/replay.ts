/**
 * `kt replay <session>`: a recorded session as a regression test.
 *
 * --check (the default): the recorded model responses are served again
 * (no network, no key), tools rerun in a scratch copy of the working tree
 * (or answer from the log with --tools recorded), and kt says whether the
 * creature made the same calls and gave the same answers; exit 1 with the
 * first divergence otherwise. --llm <model>: the recorded user turns go to
 * a live model instead, and kt reports where that run differs and what it
 * cost, beside the recording.
 */
import { installBuiltins } from '../../builtins/index.js';
import { loadCreature, type CreatureDefinition } from '../../engine/config/loader.js';
import { SessionReader } from '../../engine/session/reader.js';
import { SOLO_TOOLS } from '../../engine/terrarium/group-tools.js';
import { sessionHome } from '../../engine/home.js';
import { UsageError } from '../../engine/errors.js';
import { formatDivergence } from '../../engine/replay/diff.js';
import type { RunFigures } from '../../engine/replay/figures.js';
import { replaySession, type ReplayReport } from '../../engine/replay/replay-session.js';
import { findSession } from '../../engine/session/listing.js';
import { parseArgs } from '../args.js';
import { EXIT } from '../exit.js';
import { printJson, table } from '../table.js';

const HELP = `
Usage
  $ kt replay <session> [--check] [options]
  $ kt replay <session> --llm <model> [options]

  <session> is a session file or (the start of) its name in the session folder.

  --check (default)   Serve the recorded model responses again and compare:
                      same tool calls, same arguments, same order, same answers.
                      No network request, no API key. Exit 1 with the first
                      divergence when the creature behaves differently.
  --llm <model>       Give the recorded user turns to this model instead and
                      report where its run differs, with tokens, time and cost.

Options
  --creature <ref>    Replay with this creature (a changed one) instead of the recorded config
  --recipe <ref>      A team session: replay with this terrarium recipe instead of the recorded one
  --tools <how>       rerun (default): tools run again in a scratch copy of the tree;
                      recorded: they answer from the log (nothing is read or run)
  --tree <dir>        The folder to copy for rerun (default: the session's working directory)
  --no-results        Do not compare tool results (outputs that vary: times, ids)
  --json              The report as JSON
  --keep              Keep the scratch copy (its path is printed)

Examples
  $ kt replay swe_2026 --check
  $ kt replay swe_2026 --creature ./creatures/swe --tools recorded
  $ kt replay swe_2026 --llm anthropic/claude-sonnet-4 --json
`;

export async function replayCommand(argv: string[]): Promise<number> {
  const cli = parseArgs(
    HELP,
    argv,
    {
      check: { type: 'boolean', default: false },
      llm: { type: 'string' },
      creature: { type: 'string' },
      recipe: { type: 'string' },
      tools: { type: 'string', default: 'rerun' },
      tree: { type: 'string' },
      results: { type: 'boolean', default: true },
      json: { type: 'boolean', default: false },
      keep: { type: 'boolean', default: false },
    },
    'kt replay',
  );
  const { flags } = cli;
  const [ref, ...extra] = cli.input;
  if (!ref) throw new UsageError('which session? kt replay <session> (kt sessions lists them)');
  if (extra.length) throw new UsageError(`unexpected argument '${extra[0]}'`);
  if (flags.check && flags.llm) throw new UsageError('--check serves the recorded responses; --llm asks a live model: give one of them');
  if (flags.tools !== 'rerun' && flags.tools !== 'recorded') throw new UsageError(`--tools is rerun or recorded, not '${flags.tools}'`);
  installBuiltins();
  const path = findSession(ref, sessionHome());
  const creature = flags.creature ? hostedLike(loadCreature(flags.creature), path) : undefined;
  const report = await replaySession(path, {
    tools: flags.tools,
    results: flags.results,
    keepScratch: flags.keep,
    ...(flags.llm ? { llm: flags.llm } : {}),
    ...(creature ? { creature } : {}),
    ...(flags.recipe ? { recipe: flags.recipe } : {}),
    ...(flags.tree ? { tree: flags.tree } : {}),
  });
  if (flags.json) printJson(report);
  else process.stdout.write(render(report));
  // A live model is expected to differ: the report is the point, not a verdict.
  return report.mode === 'check' && !report.ok ? EXIT.failed : EXIT.ok;
}

/**
 * `kt run` gives a creature the team tools of its solo team (see solo-team.ts), and the
 * recording's snapshot has them: a changed creature gets them the same way, so the tool
 * set differs only when the creature's own tools do.
 */
function hostedLike(definition: CreatureDefinition, path: string): CreatureDefinition {
  using reader = new SessionReader(path);
  const [start] = reader.events({ types: ['creature.start'] });
  const recorded = start?.type === 'creature.start' ? start.tools : [];
  if (!SOLO_TOOLS.every((tool) => recorded.includes(tool))) return definition;
  const missing = SOLO_TOOLS.filter((tool) => !definition.tools.some((t) => t.name === tool));
  return { ...definition, tools: [...definition.tools, ...missing.map((name) => ({ name, type: 'builtin' as const, options: {}, folder: definition.folder, origin: {} }))] };
}

function render(report: ReplayReport): string {
  const lines: string[] = [];
  if (report.mode === 'check') {
    const figures = report.creatures.map((c) => c.replayed);
    const summary = `${sum(figures, 'turns')} turns, ${sum(figures, 'steps')} model calls, ${sum(figures, 'toolCalls')} tool calls`;
    lines.push(report.ok ? `replay: same behaviour as recorded (${summary})` : `replay: the behaviour changed (${summary})`);
    const [first] = report.divergences;
    if (first) lines.push(formatDivergence(first));
    if (report.divergences.length > 1) lines.push(`(${report.divergences.length - 1} more divergence(s); --json lists them all)`);
  } else {
    for (const creature of report.creatures) {
      if (report.creatures.length > 1) lines.push(`${creature.name}:`);
      lines.push(abTable(creature.recorded, creature.replayed).trimEnd());
    }
    lines.push(report.ok ? 'same tool calls and answers as recorded' : `${report.divergences.length} divergence(s); the first:`);
    const [first] = report.divergences;
    if (first) lines.push(formatDivergence(first));
  }
  if (report.scratch) lines.push(`scratch copy kept at ${report.scratch}`);
  return `${lines.join('\n')}\n`;
}

function abTable(a: RunFigures, b: RunFigures): string {
  const tokens = (f: RunFigures) => `${f.tokens.input} in / ${f.tokens.output} out`;
  const cost = (f: RunFigures) => (f.costUsd === undefined ? '?' : `$${f.costUsd.toFixed(4)}`);
  const seconds = (f: RunFigures) => `${(f.durationMs / 1000).toFixed(1)}s`;
  return table(
    [
      ['model', a.model, b.model],
      ['turns', String(a.turns), String(b.turns)],
      ['model calls', String(a.steps), String(b.steps)],
      ['tool calls', String(a.toolCalls), String(b.toolCalls)],
      ['tokens', tokens(a), tokens(b)],
      ['time', seconds(a), seconds(b)],
      ['cost', cost(a), cost(b)],
    ],
    ['', 'RECORDED', 'REPLAYED'],
  );
}

function sum(figures: readonly RunFigures[], key: 'turns' | 'steps' | 'toolCalls'): number {
  return figures.reduce((n, f) => n + f[key], 0);
}
