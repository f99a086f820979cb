/**
 * resumeCreature (kt resume, /resume and the studio share it): the config
 * file first, else the session's snapshot; a gone working folder refused
 * before anything opens; the session's model, else the creature's own
 * unless the caller chose one. Real session files, a scripted model.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Agent, ConfigError, resumeCreature, SessionReader, UsageError, type SessionMeta } from '../../../source/index.js';
import { ScriptedLLM } from '../../../source/testing/scripted-llm.js';
import { configHome, tempTree } from '../../helpers/temp-tree.js';

const CONFIG = 'name: keeper\nsystem_prompt: You keep things.\ntools: []\n';

/** A finished one-turn session of a creature from a config folder; returns its file, folder and meta. */
async function savedSession() {
  const root = tempTree({ 'keeper/config.yaml': CONFIG, 'work/.keep': '' });
  const env = { ...configHome(), PATH: process.env.PATH ?? '' };
  const path = join(root, 'keeper.kohakutr');
  const agent = await Agent.build(join(root, 'keeper'), { llm: new ScriptedLLM([{ text: 'noted' }]), pwd: join(root, 'work'), session: path, input: 'none', env });
  await agent.start();
  await agent.run('remember plums');
  await agent.stop();
  const meta = (() => {
    using reader = new SessionReader(path);
    return reader.meta;
  })();
  return { root, env, path, meta };
}

describe('resumeCreature', () => {
  it('rebuilds from the config folder, and from the snapshot (with a warning) when the folder is gone', async () => {
    const { root, env, path, meta } = await savedSession();
    const warnings: string[] = [];
    const again = await resumeCreature(path, meta, { llm: new ScriptedLLM([{ text: 'still here' }]), env, warn: (t) => warnings.push(t), build: { input: 'none' } });
    expect(again.name).toBe('keeper');
    expect(warnings).toEqual([]);
    await again.stop();

    rmSync(join(root, 'keeper'), { recursive: true });
    const fromSnapshot = await resumeCreature(path, meta, { llm: new ScriptedLLM([{ text: 'ok' }]), env, warn: (t) => warnings.push(t), build: { input: 'none' } });
    expect(fromSnapshot.name).toBe('keeper');
    expect(warnings).toEqual([expect.stringContaining('resuming from the config saved in the session')]);
    await fromSnapshot.stop();
  });

  it('refuses a working folder that is gone, with the caller hint, before opening anything', async () => {
    const { root, env, path, meta } = await savedSession();
    rmSync(join(root, 'work'), { recursive: true });
    const attempt = resumeCreature(path, meta, { env, pwdHint: '; pass another with --pwd' });
    await expect(attempt).rejects.toBeInstanceOf(UsageError);
    await expect(resumeCreature(path, meta, { env, pwdHint: '; pass another with --pwd' })).rejects.toThrow(/working directory .* is gone; pass another with --pwd/);
  });

  it("falls back to the creature's model when the session's is gone, but never replaces the caller's choice", async () => {
    const { env, path, meta } = await savedSession();
    const gone: SessionMeta = { ...meta, model: 'no-such-provider/no-model' };
    const warnings: string[] = [];
    // The caller's choice stands: its failure is the caller's to see.
    await expect(resumeCreature(path, gone, { llm: 'no-such-provider/no-model', env, warn: (t) => warnings.push(t) })).rejects.toBeInstanceOf(ConfigError);
    expect(warnings).toEqual([]);
    // Without a choice: the session's model fails, the creature's own is tried, and that is said.
    // A key in the environment gives the creature a default model of its own (nothing is sent: the creature never runs).
    const fallback = await resumeCreature(path, gone, { env: { ...env, OPENAI_API_KEY: 'sk-test-not-sent' }, warn: (t) => warnings.push(t), build: { input: 'none' } });
    expect(warnings).toEqual([expect.stringContaining("the session's model no-such-provider/no-model is not available")]);
    expect(fallback.model).not.toContain('no-such-provider');
    await fallback.stop();
  });
});
