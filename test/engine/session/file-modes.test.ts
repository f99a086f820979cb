/**
 * Everything kt writes is private to its user whatever the umask: folders it
 * creates are 0700, session files (with SQLite's -wal and -shm), artifacts,
 * prompt history, profiles and stored keys 0600. Folders that already exist
 * keep their mode (kt doctor warns about loose ones instead).
 */
import { chmodSync, existsSync, mkdirSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent } from '../../../source/engine/creature/agent.js';
import { ensurePrivateDir } from '../../../source/engine/home.js';
import { KeyStore } from '../../../source/engine/llm/key-store.js';
import { updateUserProfiles, profilesPath } from '../../../source/engine/llm/profiles/store.js';
import { ToolCatalog } from '../../../source/engine/tools/catalog.js';
import { ScriptedLLM } from '../../../source/testing/scripted-llm.js';
import { PromptHistory } from '../../../source/ui/input/history.js';

const modeOf = (path: string) => statSync(path).mode & 0o777;
const root = () => mkdtempSync(join(tmpdir(), 'kt-modes-'));

let saved: number;
// umask 0 is the worst case: without explicit modes, files would come out 0644/0666 and folders 0755/0777.
beforeAll(() => {
  saved = process.umask(0);
});
afterAll(() => {
  process.umask(saved);
});

describe('file modes', () => {
  it('a session file, its -wal and -shm, and the folders made for it are private', async () => {
    const home = join(root(), 'config');
    const path = join(home, 'sessions', 'private.kohakutr');
    const agent = await Agent.build(
      { name: 'quiet', system_prompt: 'Hush.' },
      { llm: new ScriptedLLM([{ text: 'a secret answer' }]), tools: [], catalog: new ToolCatalog(), pwd: root(), session: path },
    );
    await agent.run('tell me a secret');
    // While the creature runs, SQLite keeps its companions beside the file.
    expect(existsSync(`${path}-wal`)).toBe(true);
    expect(existsSync(`${path}-shm`)).toBe(true);
    for (const file of [path, `${path}-wal`, `${path}-shm`]) expect(modeOf(file), file).toBe(0o600);
    expect(modeOf(home)).toBe(0o700);
    expect(modeOf(join(home, 'sessions'))).toBe(0o700);
    await agent.stop();
    expect(modeOf(path)).toBe(0o600);
  });

  it('artifacts: the folder is 0700 and each file 0600', async () => {
    const path = join(root(), 'art.kohakutr');
    const agent = await Agent.build({ name: 'quiet', system_prompt: 'Hush.' }, { llm: new ScriptedLLM([]), tools: [], catalog: new ToolCatalog(), pwd: root(), session: path });
    const { SessionStore } = await import('../../../source/engine/session/store.js');
    await agent.stop();
    const store = SessionStore.open(path);
    const file = store.artifacts.write('picture.png', new Uint8Array([1, 2, 3]));
    store.close();
    expect(modeOf(store.artifacts.dir)).toBe(0o700);
    expect(modeOf(file)).toBe(0o600);
  });

  it('prompt history: created 0600 in a 0700 folder, and still 0600 after compaction', () => {
    const folder = join(root(), 'history');
    const file = join(folder, 'here.jsonl');
    const history = new PromptHistory(file, 3);
    history.add('first');
    expect(history.lastError).toBeUndefined();
    expect(modeOf(folder)).toBe(0o700);
    expect(modeOf(file)).toBe(0o600);
    for (const prompt of ['second', 'third', 'fourth', 'fifth']) history.add(prompt);
    expect(history.lastError).toBeUndefined();
    expect(modeOf(file)).toBe(0o600);
  });

  it('profiles and stored keys: the config folder is created 0700, the files 0600', async () => {
    const home = join(root(), 'kt-home');
    const env = { KT_CONFIG_DIR: home, HOME: root() };
    updateUserProfiles(env, (data) => {
      data.default_model = 'openai/gpt-5.4';
    });
    expect(modeOf(home)).toBe(0o700);
    expect(modeOf(profilesPath(env))).toBe(0o600);

    const keysHome = join(root(), 'keys-home');
    const keys = await KeyStore.open({ KT_CONFIG_DIR: keysHome, HOME: root() });
    keys.set('openai', 'sk-test-12345678');
    expect(modeOf(keysHome)).toBe(0o700);
    expect(modeOf(keys.path)).toBe(0o600);
  });

  it('folders are exactly 0700 even under a umask that would leave them unwritable, and existing ones keep their mode', () => {
    const base = root();
    process.umask(0o277);
    try {
      ensurePrivateDir(join(base, 'a', 'b', 'c'));
    } finally {
      process.umask(0);
    }
    for (const dir of ['a', 'a/b', 'a/b/c']) expect(modeOf(join(base, dir)), dir).toBe(0o700);

    const existing = join(base, 'mine');
    mkdirSync(existing);
    chmodSync(existing, 0o755);
    ensurePrivateDir(join(existing, 'inner'));
    expect(modeOf(existing)).toBe(0o755);
    expect(modeOf(join(existing, 'inner'))).toBe(0o700);
  });
});
