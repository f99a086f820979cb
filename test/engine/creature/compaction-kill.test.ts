/**
 * Compaction survives kill -9: a creature killed while its summary is being
 * written, right after the splice was committed, or at seeded random moments
 * in between resumes with either the whole conversation it had before the
 * compaction or the compacted one — never a mix — and its next turn works.
 *
 * The child (fixtures/compaction-kill-child.ts) runs a seeded script; the
 * expected conversations are rebuilt here from the same script, not read
 * back from the engine.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { bundleChild, REPO_NODE_MODULES } from '../../helpers/bundle-child.js';
import { summaryMessageText } from '../../../source/engine/compaction/prompt.js';
import { Agent } from '../../../source/engine/creature/agent.js';
import type { Message } from '../../../source/engine/llm/messages.js';
import { PluginCatalog } from '../../../source/engine/plugins/catalog.js';
import { SessionReader } from '../../../source/engine/session/reader.js';
import { ToolCatalog } from '../../../source/engine/tools/catalog.js';
import { add, KILL_COMPACT, KILL_SYSTEM, KILL_TURNS, MeasuredModel, planTurns, seeded, structuredSummary, turnMessages } from './fixtures/compaction-script.js';

const NODE_MODULES = REPO_NODE_MODULES;
let child = '';

beforeAll(async () => {
  // The child runs the engine from source, bundled once (native better-sqlite3 stays external).
  child = await bundleChild(join(import.meta.dirname, 'fixtures', 'compaction-kill-child.ts'));
}, 60_000);

interface Killed {
  path: string;
  ran: number;
  system: Message;
}

/** Run the child until it kills itself; what it had run by then. */
function runChild(seed: number, env: Record<string, string>): Promise<Killed> {
  const folder = mkdtempSync(join(tmpdir(), 'kt-compact-kill-'));
  const path = join(folder, 'keeper.kohakutr');
  const state = join(folder, 'state.json');
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [child, path, folder, state], {
      env: { ...process.env, NODE_PATH: NODE_MODULES, KT_TEST_SEED: String(seed), ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    proc.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    proc.stdout.resume();
    proc.on('error', reject);
    proc.on('close', (code, signal) => {
      if (signal !== 'SIGKILL') return reject(new Error(`the child ended with ${code ?? signal} instead of being killed: ${stderr}`));
      const { ran, system } = JSON.parse(readFileSync(state, 'utf8')) as { ran: number; system: Message };
      resolve({ path, ran, system });
    });
  });
}

/** The two conversations a resume may find: the whole one, and the one the splice made of it. */
function expectedConversations(seed: number, killed: Killed): { whole: Message[]; compacted: Message[] } {
  const whole = [killed.system, ...planTurns(seed, KILL_TURNS).slice(0, killed.ran).flatMap(turnMessages)];
  // The kept part starts at the keep_recent_turns-th user message from the end.
  const users = whole.flatMap((m, i) => (m.role === 'user' ? [i] : []));
  const cut = users[users.length - KILL_COMPACT.keep_recent_turns] as number;
  const compacted = [killed.system, { role: 'user' as const, content: summaryMessageText(1, structuredSummary(1)) }, ...whole.slice(cut)];
  return { whole, compacted };
}

function loggedCompactions(path: string): string[] {
  using reader = new SessionReader(path);
  return [...reader.events({ types: ['compaction.start', 'compaction.end'] })].map((e) => (e.type === 'compaction.end' ? `end:${e.status}` : 'start'));
}

/**
 * Resume the killed session; the conversation (live and as SessionReader
 * rebuilds it) must be one of the two. Then a next turn runs on it.
 */
async function resumeAndContinue(seed: number, killed: Killed, label: string): Promise<'whole' | 'compacted'> {
  const { whole, compacted } = expectedConversations(seed, killed);
  const plans = planTurns(seed, KILL_TURNS);
  const model = new MeasuredModel(plans);
  const agent = await Agent.build(
    { name: 'keeper', system_prompt: KILL_SYSTEM, compact: KILL_COMPACT },
    { llm: model, tools: [add], catalog: new ToolCatalog(), pluginCatalog: new PluginCatalog(), pwd: tmpdir(), session: killed.path },
  );
  const resumed = [...agent.messages];
  const outcome = isEqual(resumed, whole) ? 'whole' : isEqual(resumed, compacted) ? 'compacted' : undefined;
  if (!outcome) expect(resumed, `${label}: resumed neither the whole nor the compacted conversation`).toEqual(whole);
  {
    using reader = new SessionReader(killed.path);
    expect(reader.conversation(), label).toEqual(resumed);
  }

  // The next turn is sent the resumed conversation and completes; a compaction it starts numbers on.
  const ends: Array<{ round: number; status: string }> = [];
  let starts = 0;
  let settle: (() => void) | undefined;
  agent.on((event) => {
    if (event.type === 'compaction.start') starts++;
    if (event.type !== 'compaction.end') return;
    ends.push(event);
    if (ends.length >= starts) settle?.();
  });
  const next = plans[killed.ran] as (typeof plans)[number];
  const result = await agent.run(next.input);
  expect(result.status, label).toBe('completed');
  expect(result.text, label).toBe(next.answer);
  expect(model.requests[0], label).toEqual([...resumed, { role: 'user', content: next.input }]);
  if (ends.length < starts) await new Promise<void>((resolve) => (settle = resolve));
  for (const end of ends) expect(end, label).toEqual(expect.objectContaining({ status: 'done', round: outcome === 'compacted' ? 2 : 1 }));
  const live = agent.messages.map((m) => ({ ...m }));
  await agent.stop();
  using reader = new SessionReader(killed.path);
  expect(reader.conversation(), label).toEqual(live);
  return outcome as 'whole' | 'compacted';
}

function isEqual(a: unknown, b: unknown): boolean {
  try {
    expect(a).toEqual(b);
    return true;
  } catch {
    return false;
  }
}

const seedOf = (name: string) => {
  const seed = Number(process.env.KT_TEST_SEED ?? Date.now() % 100_000);
  process.stdout.write(`${name} seed: ${seed} (rerun with KT_TEST_SEED=${seed})\n`);
  return seed;
};

describe('compaction survives kill -9', () => {
  it('killed mid-summary: the resume has the whole conversation, and goes on', async () => {
    const seed = seedOf('kill mid-summary');
    const killed = await runChild(seed, { KT_TEST_MODE: 'mid' });
    expect(loggedCompactions(killed.path)).toEqual(['start']);
    expect(await resumeAndContinue(seed, killed, `mid-summary, seed ${seed}`)).toBe('whole');
  }, 60_000);

  it('killed right after the splice was committed: the resume has the compacted conversation, and goes on', async () => {
    const seed = seedOf('kill after splice');
    const killed = await runChild(seed, { KT_TEST_MODE: 'done' });
    expect(loggedCompactions(killed.path)).toEqual(['start', 'end:done']);
    expect(await resumeAndContinue(seed, killed, `after splice, seed ${seed}`)).toBe('compacted');
  }, 60_000);

  it('killed at seeded random moments across the compaction: whole or compacted, never a mix', async () => {
    const seed = seedOf('kill at random');
    const random = seeded(seed);
    const outcomes: string[] = [];
    for (let round = 0; round < 6; round++) {
      const summaryDelay = Math.floor(random() * 60);
      const killDelay = Math.floor(random() * 200);
      const label = `seed ${seed}, round ${round}: summary after ${summaryDelay} ms, kill after ${killDelay} ms`;
      const killed = await runChild(seed + round, { KT_TEST_MODE: 'random', KT_TEST_SUMMARY_DELAY: String(summaryDelay), KT_TEST_KILL_DELAY: String(killDelay) });
      const logged = loggedCompactions(killed.path);
      const outcome = await resumeAndContinue(seed + round, killed, label);
      // What the log says decides which one: a committed splice, and only that, gives the compacted conversation.
      expect(logged.includes('end:done') ? 'compacted' : 'whole', `${label}, logged ${logged.join(' ')}`).toBe(outcome);
      outcomes.push(outcome);
    }
    process.stdout.write(`kill at random outcomes: ${outcomes.join(', ')}\n`);
  }, 120_000);
});
