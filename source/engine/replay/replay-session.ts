/**
 * `replaySession(path, options)`: run a recorded session again and compare.
 *
 * Check mode (default): the creature is rebuilt (from the session's config
 * snapshot, or `options.creature` to test a changed one), every model call
 * is answered from the recording (`ReplayProvider`, no connection is ever
 * made), tools run again in a scratch copy of the working tree (or answer
 * from the log: `tools: 'recorded'`), the recorded turns are given again and
 * interactions answered as they were. The result lists where the replay
 * went differently, first divergence first; none means the behaviour held.
 *
 * Live mode (`llm`): the same user turns go to a real model instead, and the
 * report says where the new run differs and what it cost, beside the
 * recording's figures.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineCreature, loadCreature } from '../config/loader.js';
import type { AgentRef } from '../creature/agent-build.js';
import { Agent } from '../creature/agent.js';
import type { BuildOptions } from '../creature/agent-options.js';
import { ConfigError, UsageError } from '../errors.js';
import type { AgentEvent } from '../events.js';
import type { Env } from '../home.js';
import type { Provider } from '../llm/provider.js';
import { toolCatalog } from '../tools/catalog.js';
import { compareTraces, type Divergence } from './compare.js';
import { answerFromRecording, playTurns } from './drive.js';
import { jobLandingPlugin } from './job-holds.js';
import { figuresOf, priceOf, type RunFigures } from './figures.js';
import { ReplayProvider, type ExtraCall } from './provider.js';
import { RecordedTools } from './recorded-tools.js';
import { loadRecording, type CreatureRecording, type Recording } from './recording.js';
import { traceOf, type Normalise } from './trace.js';

export interface ReplayOptions {
  /** The creature to run instead of the recorded one: a reference (folder, `@pkg/...`), a config object or a definition. */
  creature?: AgentRef;
  /** A terrarium session: replay with this recipe (a `terrarium.yaml` path or folder, or the recipe as an object) instead of the recorded one. */
  recipe?: string | Record<string, unknown>;
  /** `rerun` (default): tools run again in a scratch copy of the tree; `recorded`: they answer from the log. */
  tools?: 'rerun' | 'recorded';
  /** The folder copied for `rerun` (default: the session's working directory). */
  tree?: string;
  /** Live mode: replay the user turns against this model instead of the recorded responses. */
  llm?: string | Provider;
  /** Compare tool results too (default true in check mode, false in live mode). */
  results?: boolean;
  env?: Env;
  /** Build options a creature needs that no config holds (tools given in code, catalogs). */
  build?: Omit<BuildOptions, 'llm' | 'allModels' | 'pwd' | 'session' | 'sharedSession' | 'env'>;
  /** Keep the scratch folder (its path is in the report). */
  keepScratch?: boolean;
}

export interface CreatureReplay {
  name: string;
  recorded: RunFigures;
  replayed: RunFigures;
  /** Model calls the recording could not answer (check mode). */
  extraCalls: ExtraCall[];
  /** Recorded responses never asked for, by lane (check mode). */
  unserved: Record<string, number>;
}

export interface ReplayReport {
  session: string;
  mode: 'check' | 'live';
  /** True when nothing diverged. */
  ok: boolean;
  /** Every divergence, the first one first. */
  divergences: Divergence[];
  creatures: CreatureReplay[];
  /** Wall time of the replay, milliseconds. */
  elapsedMs: number;
  scratch?: string;
}

export async function replaySession(path: string, options: ReplayOptions = {}): Promise<ReplayReport> {
  if (!existsSync(path)) throw new UsageError(`no session file at ${path}`);
  const started = performance.now();
  const recording = loadRecording(path);
  const team = recording.meta.kind === 'terrarium';
  const creature = recording.creatures[0];
  if (!creature) throw new UsageError(`${path} holds no creature to replay`);
  if (team && options.creature !== undefined) throw new UsageError(`${path} is a terrarium session: give the changed team as a recipe (recipe / --recipe), not a creature`);
  const scratch = mkdtempSync(join(tmpdir(), 'kt-replay-'));
  try {
    const pwd = workingTree(recording, options, scratch);
    const results = team
      ? await (await import('./replay-team.js')).replayTeam(recording, pwd, options)
      : [await replayCreature(recording, creature, definitionFor(recording, options), pwd, options)];
    return report(recording, options, results, started, options.keepScratch ? scratch : undefined);
  } finally {
    if (!options.keepScratch) rmSync(scratch, { recursive: true, force: true });
  }
}

export interface CreatureRun {
  result: CreatureReplay;
  divergences: Divergence[];
}

/** Build one creature on the recording's terms, play its turns, compare. */
export async function replayCreature(
  recording: Recording,
  creature: CreatureRecording,
  definition: AgentRef,
  pwd: string,
  options: ReplayOptions,
  extra: Pick<BuildOptions, 'channels' | 'group' | 'promptSections'> = {},
): Promise<CreatureRun> {
  const live = options.llm !== undefined;
  const provider = live ? undefined : new ReplayProvider(creature);
  const recorded = options.tools === 'recorded' ? new RecordedTools(() => creature.answers) : undefined;
  const build: BuildOptions = {
    ...options.build,
    ...extra,
    ...(provider ? { allModels: provider, plugins: [...(options.build?.plugins ?? []), jobLandingPlugin(() => provider.jobs)] } : { llm: options.llm as string | Provider }),
    ...(options.env ? { env: options.env } : {}),
    ...(recorded ? { catalog: recorded.catalog(options.build?.catalog ?? toolCatalog), tools: (options.build?.tools ?? []).map((t) => recorded.tool(t)) } : {}),
    // Nothing starts a turn on its own: trigger-started turns are given as recorded.
    triggers: 'off',
    pwd,
    input: 'none',
    outputs: 'none',
  };
  const agent = await Agent.build(definition, build);
  const events: AgentEvent[] = [];
  const off = agent.on((event) => events.push(event));
  const unfollow = provider?.follow(agent);
  const unanswer = answerFromRecording(agent, creature);
  try {
    await playTurns(agent, creature, { windingDown: () => provider?.releaseAll() });
  } finally {
    unanswer();
    unfollow?.();
    await agent.stop();
    off();
  }
  return compareCreature(recording, creature, events, pwd, options, provider, provider ? creature.model : agent.model);
}

/** One creature's replayed events against its recording: divergences and figures. */
export function compareCreature(
  recording: Recording,
  creature: CreatureRecording,
  events: readonly AgentEvent[],
  pwd: string,
  options: ReplayOptions,
  provider: ReplayProvider | undefined,
  replayedModel: string,
): CreatureRun {
  const live = options.llm !== undefined;
  const expected = traceOf(creature.events, normaliser(recording.meta.pwd, recording.meta.pwd), creature.positions);
  const actual = traceOf(events, normaliser(pwd, recording.meta.pwd));
  const divergences = compareTraces(recording.meta.kind === 'terrarium' ? creature.name : '', expected, actual, { results: options.results ?? !live });
  const env = options.env ?? process.env;
  return {
    divergences,
    result: {
      name: creature.name,
      recorded: figuresOf(creature.events, creature.model, priceOf(creature.model, env)),
      replayed: figuresOf(events, replayedModel, priceOf(replayedModel, env)),
      extraCalls: provider?.extraCalls ?? [],
      unserved: provider?.unserved ?? {},
    },
  };
}

export function report(recording: Recording, options: ReplayOptions, runs: CreatureRun[], started: number, scratch?: string): ReplayReport {
  const divergences = runs.flatMap((r) => r.divergences).sort((a, b) => a.at - b.at);
  return {
    session: recording.path,
    mode: options.llm !== undefined ? 'live' : 'check',
    ok: divergences.length === 0,
    divergences,
    creatures: runs.map((r) => r.result),
    elapsedMs: Math.round(performance.now() - started),
    ...(scratch ? { scratch } : {}),
  };
}

/** The creature to replay: the one asked for, else the session's config snapshot, else its config file. */
export function definitionFor(recording: Recording, options: ReplayOptions): AgentRef {
  const { meta } = recording;
  const env = options.env ?? process.env;
  if (options.creature !== undefined) return typeof options.creature === 'string' ? loadCreature(options.creature, { cwd: process.cwd(), env }) : options.creature;
  if (meta.configSnapshot) return defineCreature(meta.configSnapshot, { cwd: meta.pwd, env });
  const ref = meta.configPath ?? meta.configRef;
  if (!ref || ref === '<inline>') throw new ConfigError(`${recording.path} holds no config snapshot; pass the creature to replay (--creature)`);
  return loadCreature(ref, { cwd: meta.pwd, env });
}

/** Where tools run: a scratch copy of the tree for `rerun`; for `recorded` the session's folder (only read, for the prompt). */
export function workingTree(recording: Recording, options: ReplayOptions, scratch: string): string {
  const source = options.tree ?? recording.meta.pwd;
  if (options.tools === 'recorded') return existsSync(source) ? source : scratch;
  const tree = join(scratch, 'tree');
  // The scratch folder may sit inside the tree (a session run in the temp folder): never copy it into itself.
  if (existsSync(source)) cpSync(source, tree, { recursive: true, verbatimSymlinks: true, filter: (src) => src !== scratch && !src.startsWith(`${scratch}/`) });
  else mkdirSync(tree, { mode: 0o700 });
  return tree;
}

/** Replay-side strings made comparable: the scratch folder reads as the recorded one; dates (the prompt's) and channel message ids are masked. */
export function normaliser(from: string, to: string): Normalise {
  return (text) => {
    const moved = from === to ? text : text.split(from).join(to);
    // Channel message ids are random on every run (a send's result names its message).
    return moved.replace(/^(- Date: )\d{4}-\d{2}-\d{2}$/gm, '$1<date>').replace(/\bmsg_[0-9a-f]{12}\b/g, 'msg_<id>');
  };
}
