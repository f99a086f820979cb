/**
 * Creating a session survives a kill at any moment: a process killed at
 * each step of the creation (and, seeded, at random moments while it
 * starts) leaves no session file or a complete one, which resumes with the
 * creature's real system prompt — never an empty one — and is never
 * refused.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { bundleChild, REPO_NODE_MODULES } from '../../helpers/bundle-child.js';
import { Agent } from '../../../source/engine/creature/agent.js';
import { CREATION_STEPS } from '../../../source/engine/session/create.js';
import { SessionReader } from '../../../source/engine/session/reader.js';
import { SessionStore } from '../../../source/engine/session/store.js';
import { ToolCatalog } from '../../../source/engine/tools/catalog.js';
import { ScriptedLLM } from '../../../source/testing/scripted-llm.js';

const PROMPT = 'You keep things.';
let child = '';

beforeAll(async () => {
  // The child runs the engine from source, bundled once (native better-sqlite3 stays external).
  child = await bundleChild(join(import.meta.dirname, 'fixtures', 'create-child.ts'));
}, 60_000);

/** Run the child until it dies; `kill` decides when (from its stdout) if it does not kill itself. */
function runChild(path: string, env: Record<string, string>, kill?: (child: ReturnType<typeof spawn>) => void): Promise<NodeJS.Signals | number | null> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [child, path, tmpdir()], {
      env: { ...process.env, NODE_PATH: REPO_NODE_MODULES, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    let stdout = '';
    proc.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    proc.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      if (kill && stdout.includes('building')) kill(proc);
      // Past the creation and a turn with nothing to kill: end it, the file must be fine too.
      if (stdout.includes('ran')) proc.kill('SIGKILL');
    });
    proc.on('error', reject);
    proc.on('close', (code, signal) => {
      if (signal !== 'SIGKILL') reject(new Error(`the child ended with ${code} instead of being killed: ${stderr}`));
      else resolve(signal);
    });
  });
}

/** After a kill: nothing, or a session that resumes with the creature's prompt and logs only a non-empty one. */
async function expectResumable(folder: string, path: string, label: string): Promise<'none' | 'file'> {
  const sessions = readdirSync(folder).filter((f) => f.endsWith('.kohakutr'));
  const existed = sessions.length === 1;
  expect(sessions.length, label).toBeLessThanOrEqual(1);
  const llm = new ScriptedLLM([{ text: 'again' }]);
  const agent = await Agent.build({ name: 'keeper', system_prompt: PROMPT }, { llm, tools: [], catalog: new ToolCatalog(), pwd: tmpdir(), session: path });
  await agent.run('go on');
  await agent.stop();
  const sent = llm.calls[0]!.messages;
  expect(sent[0]?.role, label).toBe('system');
  expect(String(sent[0]?.content), label).toContain(PROMPT);
  using reader = new SessionReader(path);
  const prompts = [...reader.events({ types: ['system.prompt'] })].map((e) => (e as { text: string }).text);
  expect(prompts.length, label).toBeGreaterThan(0);
  for (const text of prompts) expect(text, label).toContain(PROMPT);
  expect(reader.turns().at(-1)?.userText, label).toBe('go on');
  return existed ? 'file' : 'none';
}

describe('creating a session survives a kill', () => {
  it('at every step of the creation', async () => {
    const outcomes: string[] = [];
    for (const step of CREATION_STEPS) {
      const folder = mkdtempSync(join(tmpdir(), 'kt-create-'));
      const path = join(folder, 'keeper.kohakutr');
      await runChild(path, { KT_TEST_KILL_AT: step });
      outcomes.push(`${step}: ${await expectResumable(folder, path, `killed at ${step}`)}`);
    }
    // Before the link there is no file; from the link on, a complete one.
    expect(outcomes).toEqual(CREATION_STEPS.map((s, i) => `${s}: ${i >= CREATION_STEPS.indexOf('linked') ? 'file' : 'none'}`));
    process.stdout.write(`creation kill points survived: ${outcomes.length}/${CREATION_STEPS.length}\n`);
  }, 120_000);

  it('at seeded random moments while the creature starts', async () => {
    const seed = Number(process.env.KT_TEST_SEED ?? Date.now() % 100_000);
    process.stdout.write(`creation kill seed: ${seed} (rerun with KT_TEST_SEED=${seed})\n`);
    let state = seed || 1;
    const random = () => ((state = (state * 48271) % 0x7fffffff) / 0x7fffffff);
    for (let round = 0; round < 6; round++) {
      const folder = mkdtempSync(join(tmpdir(), 'kt-create-'));
      const path = join(folder, 'keeper.kohakutr');
      const delay = Math.floor(random() * 150);
      await runChild(path, {}, (proc) => setTimeout(() => proc.kill('SIGKILL'), delay));
      await expectResumable(folder, path, `seed ${seed}, round ${round}, killed ${delay} ms after start`);
    }
  }, 120_000);

  it('a file that lost its system prompt (an older kt killed early) resumes with the config prompt, and logs it', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'kt-create-')), 'old.kohakutr');
    const now = Date.now();
    SessionStore.create(path, { sessionId: 'session_old', kind: 'agent', configRef: '<inline>', pwd: tmpdir(), createdAt: now, lastActive: now, agents: ['keeper'], turns: 0 }).close();
    await expectResumable(join(path, '..'), path, 'meta only');
  });
});
