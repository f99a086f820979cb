/**
 * Building the creature of a saved session for `kt resume` and `/resume`
 * inside the running app: the engine's `resumeCreature` (config or snapshot,
 * working folder check, model fallback; the studio uses it too) plus kt's
 * flags and solo team. A session another process holds fails here
 * (SessionBusyError), before anything else changes.
 */
import { installBuiltins } from '../builtins/index.js';
import { bindSoloTeam, withSoloTeam } from './solo-team.js';
import type { Agent } from '../engine/creature/agent.js';
import { resumeCreature } from '../engine/creature/resume.js';
import type { SessionMeta } from '../engine/session/meta.js';
import type { TurnRecord } from '../engine/session/reader.js';
import type { ConverseOptions } from './converse-flags.js';

export interface ResumeChoices {
  /** --llm: another model than the session's. */
  llm?: string | undefined;
  /** --pwd: another working folder than the session's. */
  pwd?: string | undefined;
  options: Pick<ConverseOptions, 'allowedPaths' | 'maxTurns' | 'plugins' | 'approvalMode'>;
  /** Where warnings go (stderr, or the app's transcript when it is drawn). */
  warn(text: string): void;
}

/** The creature of the session at `path` (whose meta is `meta`), ready to go on: the engine's resume, with kt's solo team and flags. */
export async function buildResumed(path: string, meta: SessionMeta, choices: ResumeChoices): Promise<Agent> {
  const { options, warn } = choices;
  installBuiltins();
  return resumeCreature(path, meta, {
    llm: choices.llm,
    pwd: choices.pwd,
    warn,
    pwdHint: '; pass another with --pwd',
    build: {
      // kt resume is the input (the terminal, -p, stdin): the config's input module stays off, its outputs run.
      input: 'none',
      ...(options.allowedPaths.length ? { allowedPaths: options.allowedPaths } : {}),
      ...(options.maxTurns ? { maxTurns: options.maxTurns } : {}),
      ...(options.plugins.length ? { plugins: options.plugins } : {}),
    },
    prepare: (definition, llm) => {
      const solo = withSoloTeam(definition, options, typeof llm === 'string' ? llm : undefined);
      return { definition: solo.definition, build: { group: solo.team.control }, built: (agent) => bindSoloTeam(solo.team, agent) };
    },
  });
}

/** A session's creature and its transcript so far, for the app to switch to (`/resume` inside it). */
export async function openResumed(path: string, options: ResumeChoices['options']): Promise<{ agent: Agent; history: TurnRecord[]; notes: string[] }> {
  const { SessionStore } = await import('../engine/session/store.js');
  const store = SessionStore.open(path, { readonly: true });
  const meta = store.meta;
  store.close();
  const notes: string[] = [];
  const agent = await buildResumed(path, meta, { options, warn: (text) => notes.push(text) });
  const { SessionReader } = await import('../engine/session/reader.js');
  using reader = new SessionReader(path);
  return { agent, history: reader.turns(), notes };
}
